// Waiting for SIGTERM or SIGINT (see stop_signals.hpp). The handler does only what is
// async-signal-safe: it records the signal and posts a semaphore.
#include "main/stop_signals.hpp"

#include <semaphore.h>

#include <cerrno>

namespace mecapy {
namespace {

sem_t g_arrived;
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_stop_signal(int signal_number) {
  g_signal = signal_number;
  ::sem_post(&g_arrived);
}

}  // namespace

StopSignals::StopSignals() {
  ::sem_init(&g_arrived, 0, 0);
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGTERM, &action, &previous_term_);
  ::sigaction(SIGINT, &action, &previous_int_);
}

StopSignals::~StopSignals() {
  ::sigaction(SIGTERM, &previous_term_, nullptr);
  ::sigaction(SIGINT, &previous_int_, nullptr);
  ::sem_destroy(&g_arrived);
}

int StopSignals::wait() {
  while (::sem_wait(&g_arrived) != 0 && errno == EINTR) {
  }
  return g_signal;
}

}  // namespace mecapy
