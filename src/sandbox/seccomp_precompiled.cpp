// The allowlist program compiled at build time (the generated file holds its
// instructions). Needs no libseccomp at run time.
#include <iterator>

#include "sandbox/seccomp_filter.hpp"

namespace mecapy::sandbox {
namespace {
#include "seccomp_program.inc"
}  // namespace

const SeccompProgram& SeccompProgram::precompiled() {
  static const SeccompProgram program(
      std::vector<sock_filter>(std::begin(kPrecompiledProgram), std::end(kPrecompiledProgram)),
      kPrecompiledAllowedSyscalls);
  return program;
}

}  // namespace mecapy::sandbox
