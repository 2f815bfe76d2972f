#!/bin/sh
# Runs the libFuzzer harnesses for `ninja fuzz-smoke` and `ninja fuzz` (see README.md here).
#
#   run-fuzz.sh smoke|fuzz SECONDS PARALLEL BIN_DIR FUZZ_SRC_DIR WORK_DIR SHARED_DIR HARNESS...
#
# smoke: every input of the seed corpus, the regressions and the extra seeds (shared corpus,
#        Debian's files) runs once, then each harness fuzzes for SECONDS; any failure fails.
# fuzz:  each harness fuzzes for SECONDS, PARALLEL of them at a time, and the execs are listed.
# Grown corpora, crash artifacts and logs go to WORK_DIR (the build folder), never the source.
set -eu

if [ "${1:-}" = one ]; then
    # Internal: one harness, so that `fuzz` can run several at once through xargs -P.
    shift
    mode=$1 seconds=$2 bin=$3 src=$4 work=$5 shared=$6 h=$7
    exe="$bin/fuzz_$h"
    log="$work/logs/$h.log"
    artifacts="$work/artifacts/$h"
    grown="$work/corpus/$h"
    extra="$work/extra/$h"
    mkdir -p "$artifacts" "$grown" "$extra" "$work/logs"

    # Extra seeds are copied (not passed as they are): they are single files among others
    # (/etc/mail holds .db files too), and libFuzzer takes directories. Copied afresh each run,
    # so that a shared corpus that went away is not replayed from an old copy.
    rm -rf "$extra" && mkdir -p "$extra"
    stage() {  # TAG FILE...: copy the regular files that exist, named TAG-basename
        tag=$1 && shift
        for f in "$@"; do
            [ -f "$f" ] && [ -r "$f" ] && cp "$f" "$extra/$tag-$(basename "$f")"
        done
        return 0
    }
    case "$h" in
    sendmailmc|unifieddiff)
        stage shared "$shared"/corpus/mc/*
        stage sendmail-cf /usr/share/sendmail/cf/cf/*.mc
        stage debian /usr/share/sendmail/cf/debian/*.mc
        stage etc-mail /etc/mail/*.mc
        ;;
    esac
    case "$h" in
    accessmap|unifieddiff)
        stage shared "$shared"/corpus/access/*
        stage etc-mail /etc/mail/access
        ;;
    esac

    dirs="$grown"  # the first directory is where libFuzzer writes new inputs
    for d in "$src/corpus/$h" "$src/regressions/$h" "$extra"; do
        [ -d "$d" ] && dirs="$dirs $d"
    done
    # -timeout: one input taking this long is a finding (a hang or a quadratic path), and the
    # smoke must stay bounded. -rss_limit_mb: libFuzzer's default, named to be seen.
    common="-timeout=10 -rss_limit_mb=2048 -artifact_prefix=$artifacts/ -print_final_stats=1"
    [ -f "$src/dict/$h.dict" ] && common="$common -dict=$src/dict/$h.dict"
    # Stack traces for UBSan too; its reports abort (-fno-sanitize-recover) so libFuzzer keeps
    # the input. ASan's leak check stays on: a leak in core is a finding like any other.
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

    status=0
    : >"$log"
    if [ "$mode" = smoke ]; then
        # -runs=0 with directories: every input is executed once, nothing is mutated.
        # shellcheck disable=SC2086
        "$exe" $common -runs=0 $dirs >>"$log" 2>&1 || status=$?
    fi
    if [ "$status" -eq 0 ]; then
        # shellcheck disable=SC2086
        "$exe" $common -max_total_time="$seconds" $dirs >>"$log" 2>&1 || status=$?
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    inputs=$(find "$grown" -type f | wc -l)
    if [ "$status" -eq 0 ]; then
        echo "fuzz_$h: ok, ${execs:-?} execs in the last run, $inputs inputs in $grown"
    else
        echo "fuzz_$h: FAILED (exit $status); log $log, inputs kept in $artifacts/"
        # The report itself: from the first sanitizer/libFuzzer/property line to the end.
        awk '/^==[0-9]+==|runtime error:|^PROPERTY FAILED|ERROR: libFuzzer/ {on=1} on' "$log" | tail -n 80
    fi
    exit "$status"
fi

mode=$1 seconds=$2 parallel=$3 bin=$4 src=$5 work=$6 shared=$7
shift 7
case "$mode" in smoke|fuzz) ;; *) echo "usage: $0 smoke|fuzz SECONDS PARALLEL BIN SRC WORK SHARED HARNESS..." >&2; exit 2 ;; esac
mkdir -p "$work"
start=$(date +%s)
status=0
if [ "$mode" = smoke ]; then
    # One after the other: the smoke runs in CI on a shared 2-core machine.
    for h in "$@"; do
        sh "$0" one "$mode" "$seconds" "$bin" "$src" "$work" "$shared" "$h" || status=1
    done
else
    printf '%s\n' "$@" | xargs -P "$parallel" -I HARNESS \
        sh "$0" one "$mode" "$seconds" "$bin" "$src" "$work" "$shared" HARNESS || status=1
fi
echo "fuzz $mode: $(($(date +%s) - start)) s in all; logs in $work/logs"
if [ "$status" -ne 0 ]; then
    echo "fuzz $mode: FAILED; a failing input goes to tests/fuzz/regressions/HARNESS/ once fixed" >&2
fi
exit "$status"
