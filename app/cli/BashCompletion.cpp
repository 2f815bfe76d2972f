#include "BashCompletion.h"

#include "CommandCatalog.h"

namespace smtls::cli {

namespace {

// The part of the script that does not depend on the catalogue. Host aliases: every word of a
// Host line without a pattern character, from ~/.ssh/config (or --ssh-config) and the files it
// Includes (relative to ~/.ssh, globs expanded, at most 16 deep as ssh allows), then the
// addresses of the hosts sendmail-tls-gui saved.
const char *const Helpers = R"BASH(_sendmail_tls_ssh_hosts()
{
    local file=$1 depth=$2 key rest word pattern included
    local -a words
    (( depth > 16 )) && return
    [[ -f $file && -r $file ]] || return
    while read -r key rest; do
        if [[ $key == *=* ]]; then
            rest="${key#*=} $rest"
            key=${key%%=*}
        fi
        read -ra words <<< "${rest#=}"
        case ${key,,} in
        host)
            for word in "${words[@]}"; do
                [[ $word == *[*?!]* ]] || printf '%s\n' "$word"
            done ;;
        include)
            for pattern in "${words[@]}"; do
                case $pattern in
                "~"/*) pattern=$HOME/${pattern#"~/"} ;;
                /*) ;;
                *) pattern=$HOME/.ssh/$pattern ;;
                esac
                while IFS= read -r included; do
                    _sendmail_tls_ssh_hosts "$included" $((depth + 1))
                done < <(compgen -G "$pattern" | LC_ALL=C sort)
            done ;;
        esac
    done < "$file"
}

_sendmail_tls_hosts()
{
    _sendmail_tls_ssh_hosts "${1:-$HOME/.ssh/config}" 0
    local saved=${XDG_CONFIG_HOME:-$HOME/.config}/sendmail-tls/sendmail-tls-gui.conf
    [[ -r $saved ]] && sed -n 's/^[0-9][0-9]*\\address=\(..*\)$/\1/p' "$saved"
}

# This computer's snapshot ids (folders of --snapshot-dir, else of the default store), which
# also hold a copy of every --host host's snapshots.
_sendmail_tls_snapshots()
{
    local dir=${snapshot_dir:-${XDG_DATA_HOME:-$HOME/.local/share}/sendmail-tls/snapshots} entry
    for entry in "$dir"/*/; do
        [[ -d $entry ]] || continue
        entry=${entry%/}
        printf '%s\n' "${entry##*/}"
    done
}

# The words that may come next after COMMAND and the positional words typed so far, following
# the command's synopsis forms: lower-case alternatives are offered, UPPER-CASE values are not
# (COMMAND: the command names, SNAPSHOT: snapshot ids), NAME... repeats.
_sendmail_tls_next_word()
{
    local command=$1 form t k
    shift
    local -a typed=("$@") tokens
    for form in "${_sendmail_tls_forms[@]}"; do
        [[ ${form%% *} == "$command" ]] || continue
        tokens=()
        [[ $form == *" "* ]] && read -ra tokens <<< "${form#* }"
        local fits=1 last=
        for ((k = 0; k < ${#typed[@]}; k++)); do
            t=${tokens[k]-}
            if [[ -z $t ]]; then
                [[ $last == *... ]] || fits=0
                continue
            fi
            last=$t
            if [[ $t != *[A-Z]* && "|$t|" != *"|${typed[k]}|"* ]]; then
                fits=0
            fi
        done
        (( fits )) || continue
        t=${tokens[${#typed[@]}]-}
        if [[ $t == COMMAND ]]; then
            printf '%s\n' $_sendmail_tls_commands
        elif [[ $t == SNAPSHOT ]]; then
            _sendmail_tls_snapshots
        elif [[ -n $t && $t != *[A-Z]* ]]; then
            printf '%s\n' ${t//|/ }
        fi
    done
}

_sendmail_tls()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local i word command= ssh_config= snapshot_dir=
    local -a positional=()
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if [[ $word == --ssh-config ]]; then
            ssh_config=${COMP_WORDS[i + 1]}
        elif [[ $word == --snapshot-dir ]]; then
            snapshot_dir=${COMP_WORDS[i + 1]}
        fi
        if [[ " $_sendmail_tls_value_options " == *" $word "* ]]; then
            ((i++))
        elif [[ $word != -* ]]; then
            if [[ -z $command ]]; then command=$word; else positional+=("$word"); fi
        fi
    done
    if [[ " $_sendmail_tls_value_options " == *" $prev "* ]] && (( COMP_CWORD > 1 )); then
        _sendmail_tls_value "$prev" "$ssh_config"
        return
    fi
    if [[ $cur == -* ]]; then
        local options=$_sendmail_tls_global_options
        [[ -n $command ]] && options+=" $(_sendmail_tls_command_options "$command")"
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif [[ -z $command ]]; then
        COMPREPLY=($(compgen -W "$_sendmail_tls_commands" -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$(_sendmail_tls_next_word "$command" "${positional[@]}")" -- "$cur"))
    fi
}
)BASH";

QString dashed(const QString &name) { return (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name; }

QString optionWords(const QList<OptionDoc> &options)
{
    QStringList words;
    for (const OptionDoc &o : options)
        for (const QString &n : o.names)
            words.append(dashed(n));
    return words.join(QLatin1Char(' '));
}

// "set global on|fallback|off": a synopsis form up to its first option.
QString formWords(const CommandDoc &command, const QString &form)
{
    QStringList words{command.name};
    for (const QString &token : form.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (token.startsWith(QStringLiteral("[-")) || token.startsWith(QLatin1Char('-')))
            break;
        words.append(token.startsWith(QLatin1Char('[')) ? token.mid(1).chopped(1) : token);  // help [COMMAND]
    }
    return words.join(QLatin1Char(' '));
}

QString valueCase()
{
    QString out = QStringLiteral("_sendmail_tls_value()\n{\n    local cur=${COMP_WORDS[COMP_CWORD]}\n    case $1 in\n");
    for (const OptionDoc &o : optionCatalog()) {
        if (o.valueName.isEmpty())
            continue;
        QString action;
        switch (o.completion) {
        case ValueCompletion::File: action = QStringLiteral("compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))"); break;
        case ValueCompletion::Directory: action = QStringLiteral("compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"))"); break;
        case ValueCompletion::Host: action = QStringLiteral("COMPREPLY=($(compgen -W \"$(_sendmail_tls_hosts \"$2\")\" -- \"$cur\"))"); break;
        case ValueCompletion::Choices: action = QStringLiteral("COMPREPLY=($(compgen -W \"%1\" -- \"$cur\"))").arg(o.choices.join(QLatin1Char(' '))); break;
        case ValueCompletion::None: action = QStringLiteral(":"); break;
        }
        out += QStringLiteral("    %1) %2 ;;\n").arg(dashed(o.longName()), action);
    }
    return out + QStringLiteral("    esac\n}\n");
}

} // namespace

QString bashCompletion()
{
    QString out = QStringLiteral("# bash completion for sendmail-tls. Generated from the program's command catalogue\n"
                                 "# (app/cli/CommandCatalog) at build time: do not edit, edit the catalogue.\n\n");
    QStringList valueOptions;
    QList<OptionDoc> globalOptions;
    for (const OptionDoc &o : optionCatalog()) {
        if (o.isGlobal())
            globalOptions.append(o);
        if (!o.valueName.isEmpty())
            valueOptions.append(dashed(o.longName()));
    }
    out += QStringLiteral("_sendmail_tls_commands='%1'\n").arg(commandNames().join(QLatin1Char(' ')));
    out += QStringLiteral("_sendmail_tls_global_options='%1'\n").arg(optionWords(globalOptions));
    out += QStringLiteral("_sendmail_tls_value_options='%1'\n").arg(valueOptions.join(QLatin1Char(' ')));
    out += QStringLiteral("_sendmail_tls_forms=(\n");
    for (const CommandDoc &c : commandCatalog())
        for (const QString &form : c.synopsis)
            out += QStringLiteral("    '%1'\n").arg(formWords(c, form));
    out += QStringLiteral(")\n\n_sendmail_tls_command_options()\n{\n    case $1 in\n");
    for (const CommandDoc &c : commandCatalog()) {
        const QString words = optionWords(optionsOf(c));
        if (!words.isEmpty())
            out += QStringLiteral("    %1) printf '%s\\n' %2 ;;\n").arg(c.name, words);
    }
    out += QStringLiteral("    esac\n}\n\n") + valueCase() + QLatin1Char('\n') + QString::fromUtf8(Helpers);
    return out + QStringLiteral("\ncomplete -F _sendmail_tls sendmail-tls\n");
}

} // namespace smtls::cli
