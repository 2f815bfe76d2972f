# Compiler flags of the fuzz build (-DSMTLS_FUZZ=ON), included by the top-level CMakeLists.txt
# before core/ so that the core library is instrumented too: libFuzzer only steers by the
# coverage of code built with -fsanitize=fuzzer(-no-link), and a bug in core is only caught by
# ASan/UBSan if core carries their checks. Qt and libssh stay the system's (uninstrumented).

if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "SMTLS_FUZZ needs clang (libFuzzer ships with it), but the C++ compiler is "
                      "${CMAKE_CXX_COMPILER_ID}. Configure a separate build folder with:\n"
                      "  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DSMTLS_FUZZ=ON")
endif()

set(SMTLS_FUZZ_COMPILE_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer)
set(SMTLS_FUZZ_LINK_FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)

# Debian's clang finds the libFuzzer runtime only when libclang-rt-14-dev is installed; without
# it every harness would fail at link time with an obscure "cannot find libclang_rt.fuzzer".
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,address,undefined")
set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=fuzzer,address,undefined)
check_cxx_source_compiles([[
#include <cstddef>
#include <cstdint>
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *, size_t) { return 0; }
]] SMTLS_HAVE_LIBFUZZER)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
if(NOT SMTLS_HAVE_LIBFUZZER)
  message(FATAL_ERROR "clang cannot link a libFuzzer program with ASan/UBSan here; on Debian 12 "
                      "install libclang-rt-14-dev (installer/setup.sh test does).")
endif()

add_compile_options(${SMTLS_FUZZ_COMPILE_FLAGS})
