// The cold executor (cold_executor.hpp).
#include "jobs/cold_executor.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <optional>
#include <system_error>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "storage/sha256.hpp"

namespace mecapy::jobs {
namespace {

namespace fs = std::filesystem;
constexpr std::size_t kMaxJsonBytes = std::size_t{16} << 20;
constexpr std::size_t kMaxProgressBytes = std::size_t{1} << 20;
constexpr std::size_t kMaxStderrTail = std::size_t{16} << 10;
constexpr std::size_t kChunk = std::size_t{256} << 10;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Names the sandbox never chose (input variables, extensions) still become file names.
bool safe_file_part(const std::string& text, bool may_be_empty) {
  if (text.empty()) return may_be_empty;
  if (text == "." || text == "..") return false;
  return text.find_first_of(std::string_view("/\\\0", 3)) == std::string::npos;
}

// A failed result's error object.
boost::json::object error_object(std::string type, std::string message, std::string traceback = {}) {
  return {{"type", std::move(type)}, {"message", std::move(message)}, {"traceback", std::move(traceback)}};
}

// Why a file of out/ could not be taken.
struct OutputProblem {
  std::string type;
  std::string message;
};

enum class ReadOutcome { absent, read, not_regular, too_large };

// Reads `path` without following a link, at most `limit` bytes.
ReadOutcome read_bounded(const fs::path& path, std::size_t limit, std::string& text) {
  const Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) return errno == ENOENT ? ReadOutcome::absent : ReadOutcome::not_regular;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return ReadOutcome::not_regular;
  if (static_cast<std::uint64_t>(st.st_size) > limit) return ReadOutcome::too_large;
  text.clear();
  std::string buffer(kChunk, '\0');
  for (ssize_t n; (n = ::read(fd.get(), buffer.data(), buffer.size())) > 0;) {
    text.append(buffer.data(), static_cast<std::size_t>(n));
    if (text.size() > limit) return ReadOutcome::too_large;
  }
  return ReadOutcome::read;
}

// Reads a JSON object the run wrote; nullopt when absent; a problem when it cannot be taken.
std::optional<boost::json::object> read_json_object(const fs::path& path, std::optional<OutputProblem>& problem) {
  std::string text;
  const std::string name = "out/" + path.filename().string();
  switch (read_bounded(path, kMaxJsonBytes, text)) {
    case ReadOutcome::absent:
      return std::nullopt;
    case ReadOutcome::not_regular:
      problem = OutputProblem{"OutputError", name + " is not a regular file (links are refused)"};
      return std::nullopt;
    case ReadOutcome::too_large:
      problem = OutputProblem{"OutputTooLarge", name + " exceeds " + std::to_string(kMaxJsonBytes >> 20) + " MiB"};
      return std::nullopt;
    case ReadOutcome::read:
      break;
  }
  try {
    auto value = parse_json(text);
    if (value.is_object()) {
      boost::json::object object = std::move(value.get_object());
      return object;
    }
  } catch (const Error&) {
  }
  problem = OutputProblem{"OutputError", name + " is not a JSON object"};
  return std::nullopt;
}

boost::json::array read_progress(const fs::path& path) {
  boost::json::array lines;
  std::string text;
  if (read_bounded(path, kMaxProgressBytes, text) != ReadOutcome::read) return lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    try {
      if (end > start) lines.push_back(parse_json(std::string_view(text).substr(start, end - start)));
    } catch (const Error&) {
    }
    start = end + 1;
  }
  return lines;
}

std::string tail(const std::string& text, std::size_t bytes) {
  return text.size() > bytes ? "..." + text.substr(text.size() - bytes) : text;
}

// The function's error as {type, message, traceback}: the runner's error.json has these
// members; an entrypoint's _error.json says `error` for the message.
boost::json::object normalise_error(const boost::json::object& raw) {
  auto text = [&raw](const char* key) -> std::string {
    const auto* v = raw.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  std::string message = raw.contains("message") ? text("message") : text("error");
  std::string type = text("type");
  return error_object(type.empty() ? "Error" : type, message, text("traceback"));
}

// A private directory removed, with everything in it, when the object goes.
class Workspace {
 public:
  explicit Workspace(const fs::path& parent) : path_(parent / random_hex(16)) {
    fs::create_directory(path_);
    fs::permissions(path_, fs::perms(0755));
    fs::create_directories(path_ / "in" / "files");
    fs::create_directory(path_ / "out");
    fs::permissions(path_ / "in", fs::perms(0755));
    fs::permissions(path_ / "in" / "files", fs::perms(0755));
    fs::create_directory(path_ / "out" / "files");  // MECAPY_OUTPUT_DIR, for entrypoints too
    fs::permissions(path_ / "out", fs::perms(0777));
    fs::permissions(path_ / "out" / "files", fs::perms(0777));
  }
  ~Workspace() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush())
    throw Error(ErrorKind::unavailable, "job-scratch", "The server's job scratch space is full.", path.string());
}

// Copies a blob to `target`, checking its content against `sha256`.
void fetch_input(storage::BlobStore& blobs, const ExecutionRequest::InputFile& file, const fs::path& target) {
  auto reader = blobs.open(file.blob_key);
  storage::Sha256 hash;
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  std::string buffer(kChunk, '\0');
  for (std::size_t n; (n = reader->read(buffer.data(), buffer.size())) > 0;) {
    const std::string_view chunk(buffer.data(), n);
    hash.update(chunk);
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  }
  if (!out.flush())
    throw Error(ErrorKind::unavailable, "job-scratch", "The server's job scratch space is full.", target.string());
  if (const auto actual = hash.hex_digest(); actual != file.sha256)
    throw Error(ErrorKind::corrupted, "blob-corrupted",
                "The stored content of input file '" + file.var + "' does not match its checksum.",
                file.blob_key + ": sha256 " + actual + ", expected " + file.sha256);
  fs::permissions(target, fs::perms(0644));
}

class ColdJob final : public PreparedJob {
 public:
  ColdJob(storage::BlobStore& blobs, packages::SandboxedRunner& runner, const fs::path& run_dir,
          const ExecutionRequest& request)
      : blobs_(blobs),
        runner_(runner),
        workspace_(run_dir),
        job_id_(request.job_id),
        entrypoint_(request.handler.empty()) {
    call_.mode = "run";
    call_.args = {"--handler", request.handler};
    call_.workspace = workspace_.path();
    call_.resources = request.resources;
  }

  Workspace& workspace() { return workspace_; }
  packages::RunnerCall& call() { return call_; }

  void run(const sandbox::CancelSignal* cancel, const OutputObserver& on_output) override {
    if (on_output) {
      call_.on_output = [&on_output](sandbox::OutputStream stream, std::string_view chunk) {
        on_output(stream == sandbox::OutputStream::stdout_stream ? "stdout" : "stderr", chunk);
      };
    }
    result_ = runner_.run(call_, cancel);
    call_.on_output = {};
    cancelled_ = cancel != nullptr && cancel->cancelled();
  }

  // Rereads the (bounded) progress file and gives the lines not given yet.
  std::vector<boost::json::value> new_progress() override {
    std::lock_guard lock(progress_mutex_);
    const auto lines = read_progress(workspace_.path() / "out" / "progress.jsonl");
    std::vector<boost::json::value> fresh;
    for (std::size_t i = progress_given_; i < lines.size(); ++i) fresh.push_back(lines[i]);
    progress_given_ = std::max(progress_given_, lines.size());
    return fresh;
  }

  ExecutionResult collect() override;

 private:
  std::optional<OutputProblem> store_output_files(std::vector<OutputFile>& files);

  storage::BlobStore& blobs_;
  packages::SandboxedRunner& runner_;
  Workspace workspace_;
  std::string job_id_;
  bool entrypoint_;
  packages::RunnerCall call_;
  sandbox::RunResult result_;
  bool cancelled_ = false;
  std::mutex progress_mutex_;
  std::size_t progress_given_ = 0;
};

std::optional<OutputProblem> ColdJob::store_output_files(std::vector<OutputFile>& files) {
  const fs::path root = workspace_.path() / "out" / "files";
  std::error_code ec;
  const auto root_status = fs::symlink_status(root, ec);
  if (ec || root_status.type() == fs::file_type::not_found) return std::nullopt;
  if (root_status.type() != fs::file_type::directory)
    return OutputProblem{"OutputError", "out/files is not a directory (links are refused)"};
  // The iterator never follows a link to a directory; every entry is checked by lstat.
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const auto type = it->symlink_status().type();
    const std::string name = fs::relative(it->path(), root).generic_string();
    if (type == fs::file_type::directory) continue;
    if (type != fs::file_type::regular)
      return OutputProblem{"OutputError", "output file '" + name + "' is not a regular file (links are refused)"};
    const Fd fd(::open(it->path().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
      return OutputProblem{"OutputError", "output file '" + name + "' cannot be read as a regular file"};
    auto writer = blobs_.create("jobs/" + job_id_ + "/" + name);
    storage::Sha256 hash;
    std::uint64_t size = 0;
    std::string buffer(kChunk, '\0');
    for (ssize_t n; (n = ::read(fd.get(), buffer.data(), buffer.size())) > 0;) {
      const std::string_view chunk(buffer.data(), static_cast<std::size_t>(n));
      hash.update(chunk);
      writer->write(chunk);
      size += chunk.size();
    }
    const auto info = writer->commit();
    files.push_back({name, info.key, size, hash.hex_digest()});
  }
  return std::nullopt;
}

ExecutionResult ColdJob::collect() {
  using sandbox::Reason;
  if (result_.reason == Reason::sandbox_error)
    throw Error(ErrorKind::unavailable, "sandbox-unavailable",
                "The sandbox could not run the job; an operator must check the server (see /ready).", result_.message);
  ExecutionResult r;
  r.exit_reason = std::string(sandbox::to_string(result_.reason));
  r.stdout_text = result_.stdout_output.text;
  r.stderr_text = result_.stderr_output.text;
  r.duration_ms = result_.wall_time_ms;
  r.cpu_ms = result_.cpu_time_ms;
  r.memory_peak_mb = static_cast<double>(result_.peak_memory_bytes) / static_cast<double>(sandbox::kMiB);
  const fs::path out = workspace_.path() / "out";
  r.progress = read_progress(out / "progress.jsonl");

  auto fail = [&r](std::string type, std::string message, std::string traceback = {}) {
    r.status = "failed";
    r.error = error_object(std::move(type), std::move(message), std::move(traceback));
    return r;
  };
  if (result_.reason == Reason::ok || result_.reason == Reason::exit_nonzero) {
    std::optional<OutputProblem> problem;
    const auto error = read_json_object(out / (entrypoint_ ? "_error.json" : "error.json"), problem);
    if (problem) return fail(problem->type, problem->message);
    if (error) {
      r.status = "failed";
      r.error = normalise_error(*error);
      return r;
    }
  }
  if (cancelled_ && result_.reason != Reason::ok) {
    r.status = "cancelled";
    return r;
  }
  switch (result_.reason) {
    case Reason::ok:
      break;
    case Reason::timeout:
      r.status = "timeout";
      r.error =
          error_object("Timeout", "The function ran longer than its " + std::to_string(call_.resources.timeout_s) +
                                      " s time limit and was stopped.");
      return r;
    case Reason::memory_limit:
      return fail("MemoryLimit", "The function used more than its " + std::to_string(call_.resources.memory_mb) +
                                     " MiB memory limit and was stopped; ask for a larger resource tier.");
    case Reason::cpu_limit:
      return fail("CpuLimit", "The function used more CPU time than its limit allows and was stopped.");
    case Reason::output_limit:
      return fail("OutputLimit", "The function printed more than the sandbox keeps and was stopped.");
    default:
      return fail("RunnerError",
                  "The function's process ended badly: " + r.exit_reason +
                      (result_.message.empty() ? "" : " (" + result_.message + ")"),
                  tail(r.stderr_text, kMaxStderrTail));
  }
  std::optional<OutputProblem> problem;
  auto outputs = read_json_object(out / "data.json", problem);
  if (problem) return fail(problem->type, problem->message);
  if (!outputs)
    return fail("RunnerError", "The function's process ended without writing its outputs.",
                tail(r.stderr_text, kMaxStderrTail));
  std::optional<OutputProblem> files_problem;
  try {
    files_problem = store_output_files(r.output_files);
  } catch (const fs::filesystem_error&) {
    files_problem = OutputProblem{"OutputError", "out/files cannot be read"};
  }
  if (files_problem) return fail(files_problem->type, files_problem->message);
  r.outputs = std::move(*outputs);
  r.status = "completed";
  return r;
}

}  // namespace

ColdExecutor::ColdExecutor(storage::BlobStore& blobs, packages::SandboxedRunner& runner, const fs::path& work_dir)
    : blobs_(blobs), runner_(runner), run_dir_(work_dir / "run"), sources_(blobs, work_dir / "sources") {
  fs::create_directories(run_dir_);
  fs::permissions(work_dir, fs::perms(0755));
  fs::permissions(run_dir_, fs::perms(0755));
}

std::unique_ptr<PreparedJob> ColdExecutor::prepare(const ExecutionRequest& request) {
  if (request.handler.empty() == request.entrypoint.empty())
    throw Error(ErrorKind::invalid_input, "job-request-invalid",
                "A job runs exactly one of a handler and an entrypoint.", "job " + request.job_id);
  const packages::PythonInterpreter* python = runner_.interpreter_for(request.interpreter);
  if (!python)
    throw Error(ErrorKind::unavailable, "interpreter-unavailable",
                "This server has no Python " + request.interpreter + " to run the function with.");
  for (const auto& file : request.input_files) {
    if (!safe_file_part(file.var, false) || !safe_file_part(file.extension, true) ||
        file.var.find('.') != std::string::npos)
      throw Error(ErrorKind::invalid_input, "job-request-invalid",
                  "Input file '" + file.var + "' has a name that cannot be a file name.", "job " + request.job_id);
  }

  auto job = std::make_unique<ColdJob>(blobs_, runner_, run_dir_, request);
  const fs::path in = job->workspace().path() / "in";
  write_text(in / "data.json", serialize_json(request.inputs));
  fs::permissions(in / "data.json", fs::perms(0644));
  for (const auto& file : request.input_files) {
    fetch_input(blobs_, file, in / "files" / (file.extension.empty() ? file.var : file.var + "." + file.extension));
  }
  auto& call = job->call();
  call.sources = sources_.sources(request.source_blob_key, request.source_sha256);
  call.interpreter = python;
  if (!request.entrypoint.empty()) {
    call.command = {"/bin/sh", "-c", "cd /workspace/src && exec \"$@\"", "entrypoint"};
    for (const auto& arg : request.entrypoint) call.command.push_back(arg);
    if (request.entrypoint.front() == "python" || request.entrypoint.front() == "python3")
      call.command[4] = python->path;
  }
  return job;
}

}  // namespace mecapy::jobs
