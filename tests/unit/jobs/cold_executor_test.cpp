// The cold executor end to end: real sandboxes (as root, like the sandbox tests), a
// local blob store in a temp dir, and the examples/fixtures package packed and stored
// the way a deploy stores it. Also the attack cases of what a run leaves in out/.
#include "jobs/cold_executor.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "jobs/source_cache.hpp"
#include "packages/archive_packer.hpp"
#include "packages/source_tree.hpp"
#include "storage/local_blob_store.hpp"
#include "storage/sha256.hpp"

namespace mecapy::jobs {
namespace {

namespace fs = std::filesystem;
using boost::json::object;

storage::BlobInfo put_blob(storage::BlobStore& blobs, std::string_view content) {
  auto writer = blobs.create("test");
  writer->write(content);
  return writer->commit();
}

std::string read_blob(storage::BlobStore& blobs, const std::string& key) {
  auto reader = blobs.open(key);
  std::string text, buffer(4096, '\0');
  for (std::size_t n; (n = reader->read(buffer.data(), buffer.size())) > 0;) text.append(buffer.data(), n);
  return text;
}

// What every test shares: one sandbox pool of its own, the runner, the stored package.
struct Shared {
  fs::path root;
  std::unique_ptr<storage::LocalBlobStore> blobs;
  std::unique_ptr<packages::SandboxedRunner> runner;
  std::string archive_key;
  std::string source_sha256;
};

Shared* shared = nullptr;

class ColdExecutorTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    shared = new Shared;
    std::string pattern = (fs::temp_directory_path() / "mecapy-executor-test-XXXXXX").string();
    shared->root = ::mkdtemp(pattern.data());
    fs::permissions(shared->root, fs::perms(0755));
    shared->blobs = std::make_unique<storage::LocalBlobStore>(shared->root / "blobs");
    sandbox::SandboxOptions options;
    options.pool_name = "mecapy-test-executor";
    options.host_ids = {1'400'000'000, 64};
    options.max_slots = 8;
    const std::string python = "/usr/bin/python3";
    const std::vector<packages::PythonInterpreter> interpreters{{python, packages::probe_python_version(python)}};
    packages::install_runner(shared->root / "runner", interpreters);
    shared->runner = std::make_unique<packages::SandboxedRunner>(options, shared->root / "runner", interpreters);
    const fs::path package = fs::path(MECAPY_SOURCE_DIR) / "examples" / "fixtures";
    const fs::path archive = shared->root / "fixtures.tar.gz";
    packages::pack_directory(package, archive, packages::ArchiveFormat::tar_gz);
    std::ifstream in(archive, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    shared->archive_key = put_blob(*shared->blobs, bytes).key;
    shared->source_sha256 = packages::source_tree_sha256(package);
  }
  static void TearDownTestSuite() {
    shared->runner.reset();  // removes the pool's idle slots
    fs::remove_all(shared->root);
    delete shared;
    shared = nullptr;
  }

 protected:
  void SetUp() override {
    work_ = shared->root / ("work-" + random_hex(6));
    executor_ = std::make_unique<ColdExecutor>(*shared->blobs, *shared->runner, work_);
  }
  void TearDown() override {
    executor_.reset();
    fs::remove_all(work_);
  }

  static ExecutionRequest handler_request(const std::string& handler, object inputs = {}) {
    ExecutionRequest r;
    r.job_id = new_uuid();
    r.handler = handler;
    r.source_blob_key = shared->archive_key;
    r.source_sha256 = shared->source_sha256;
    r.inputs = std::move(inputs);
    r.resources = {1, 512, 30};
    return r;
  }
  static ExecutionRequest command_request(std::vector<std::string> argv, object inputs = {}) {
    auto r = handler_request("", std::move(inputs));
    r.entrypoint = std::move(argv);
    return r;
  }
  static ExecutionRequest shell_request(const std::string& script) {
    return command_request({"/bin/sh", "-c", script});
  }

  // Prepares, runs and collects; checks the workspace is gone once the job is.
  ExecutionResult execute(const ExecutionRequest& request, const sandbox::CancelSignal* cancel = nullptr) {
    ExecutionResult result;
    {
      auto job = executor_->prepare(request);
      EXPECT_EQ(workspaces(), 1u);
      job->run(cancel);
      result = job->collect();
    }
    EXPECT_EQ(workspaces(), 0u) << "the workspace outlived its job";
    return result;
  }
  std::size_t workspaces() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(work_ / "run"), fs::directory_iterator()));
  }
  static std::string error_member(const ExecutionResult& r, const char* key) {
    if (!r.error) return "(no error)";
    const auto* v = r.error->if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : "(missing)";
  }

  fs::path work_;
  std::unique_ptr<ColdExecutor> executor_;
};

TEST_F(ColdExecutorTest, TheRunnerIsInstalledWithTheByteCodeOfItsInterpreter) {
  // "3.11.2" -> "cpython-311": without it every job compiles the runner again.
  const auto& version = shared->runner->default_interpreter().version;
  const auto dot = version.find('.', version.find('.') + 1);
  const std::string tag = "cpython-" + version.substr(0, version.find('.')) +
                          version.substr(version.find('.') + 1, dot - version.find('.') - 1);
  const fs::path cache = shared->root / "runner" / "mecapy_runner" / "__pycache__";
  EXPECT_TRUE(fs::exists(cache / ("job." + tag + ".pyc"))) << cache;
  EXPECT_TRUE(fs::exists(cache / ("invoke." + tag + ".pyc"))) << cache;
  EXPECT_EQ(fs::status(cache / ("job." + tag + ".pyc")).permissions() & fs::perms::others_read, fs::perms::others_read);
}

TEST_F(ColdExecutorTest, NoopCompletesWithItsResult) {
  const auto r = execute(handler_request("fixtures.basic:noop"));
  EXPECT_EQ(r.status, "completed") << r.stderr_text;
  EXPECT_EQ(r.outputs, (object{{"result", 0}}));
  EXPECT_FALSE(r.error);
  EXPECT_EQ(r.exit_reason, "ok");
  EXPECT_GT(r.duration_ms, 0);
  EXPECT_GT(r.cpu_ms, 0);
}

TEST_F(ColdExecutorTest, ScaleReturnsTheExactProduct) {
  const double force = 0.1, factor = 3;  // 0.30000000000000004: any rounding on the way shows
  const auto r = execute(handler_request("fixtures.mechanics:scale", {{"force", force}, {"factor", factor}}));
  ASSERT_EQ(r.status, "completed") << r.stderr_text;
  ASSERT_TRUE(r.outputs.at("result").is_double());
  const double got = r.outputs.at("result").get_double();
  const double want = force * factor;
  EXPECT_EQ(std::bit_cast<std::uint64_t>(got), std::bit_cast<std::uint64_t>(want)) << got;
}

TEST_F(ColdExecutorTest, AnExceptionFailsTheJobWithItsTypeAndTraceback) {
  const auto r = execute(handler_request("fixtures.basic:fail", {{"message", "the bolt is too short"}}));
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(error_member(r, "type"), "ValueError");
  EXPECT_EQ(error_member(r, "message"), "the bolt is too short");
  EXPECT_NE(error_member(r, "traceback").find("fixtures/basic.py"), std::string::npos) << error_member(r, "traceback");
  EXPECT_TRUE(r.outputs.empty());
}

TEST_F(ColdExecutorTest, ALongRunStopsAtItsTimeout) {
  auto request = handler_request("fixtures.basic:sleep", {{"seconds", 30}});
  request.resources.timeout_s = 1;
  const auto r = execute(request);
  EXPECT_EQ(r.status, "timeout");
  EXPECT_EQ(r.exit_reason, "timeout");
  EXPECT_LT(r.duration_ms, 15000);
}

TEST_F(ColdExecutorTest, ACancelFromAnotherThreadStopsTheRun) {
  sandbox::CancelSignal cancel;
  std::thread canceller([&cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    cancel.cancel();
  });
  const auto r = execute(handler_request("fixtures.basic:sleep", {{"seconds", 30}}), &cancel);
  canceller.join();
  EXPECT_EQ(r.status, "cancelled");
  EXPECT_LT(r.duration_ms, 15000);
}

TEST_F(ColdExecutorTest, OutputFilesAreStoredWithTheirSizeAndChecksum) {
  const auto r = execute(handler_request("fixtures.files:write_report", {{"title", "Bolts"}}));
  ASSERT_EQ(r.status, "completed") << r.stderr_text;
  ASSERT_EQ(r.output_files.size(), 1u);
  const auto& file = r.output_files.front();
  EXPECT_EQ(file.name, "report.txt");
  const std::string expected = "Bolts\n=====\n\nThis report was written by fixtures.files:write_report.\n";
  EXPECT_EQ(read_blob(*shared->blobs, file.blob_key), expected);
  EXPECT_EQ(file.size, expected.size());
  EXPECT_EQ(file.sha256, storage::Sha256::of(expected));
}

TEST_F(ColdExecutorTest, InputFilesReachTheFunction) {
  const std::string content = "first\nsecond\nthird";
  const auto blob = put_blob(*shared->blobs, content);
  auto request = handler_request("fixtures.files:file_info");
  request.input_files.push_back({"file", blob.key, "txt", blob.sha256});
  const auto r = execute(request);
  ASSERT_EQ(r.status, "completed") << r.stderr_text << error_member(r, "message");
  EXPECT_EQ(r.outputs.at("size"), content.size());
  EXPECT_EQ(r.outputs.at("sha256"), boost::json::value(storage::Sha256::of(content)));
  EXPECT_EQ(r.outputs.at("lines"), 3);
}

TEST_F(ColdExecutorTest, AnInputBlobThatDoesNotMatchItsChecksumIsRefused) {
  const auto blob = put_blob(*shared->blobs, "the content");
  auto request = handler_request("fixtures.files:file_info");
  request.input_files.push_back({"file", blob.key, "txt", storage::Sha256::of("other content")});
  try {
    executor_->prepare(request);
    FAIL() << "prepared a job with a corrupted input";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::corrupted);
    EXPECT_EQ(e.code(), "blob-corrupted");
  }
  EXPECT_EQ(workspaces(), 0u);
}

TEST_F(ColdExecutorTest, InputFileNamesCannotLeaveTheirDirectory) {
  const auto blob = put_blob(*shared->blobs, "x");
  for (const std::string var : {"../../escape", "..", "a/b", ""}) {
    auto request = handler_request("fixtures.files:file_info");
    request.input_files.push_back({var, blob.key, "txt", blob.sha256});
    EXPECT_THROW(executor_->prepare(request), Error) << var;
  }
  auto request = handler_request("fixtures.files:file_info");
  request.input_files.push_back({"file", blob.key, "../x", blob.sha256});
  EXPECT_THROW(executor_->prepare(request), Error);
  EXPECT_EQ(workspaces(), 0u);
}

TEST_F(ColdExecutorTest, AnEntrypointCommandRunsInTheSourcesAndWritesItsOutputs) {
  const auto r = execute(
      command_request({"python3", "-c",
                       "import json, os\n"
                       "x = json.load(open('/workspace/in/data.json'))['x']\n"
                       "json.dump({'twice': 2 * x, 'cwd': os.getcwd(), 'has_manifest': os.path.exists('mecapy.yml')},\n"
                       "          open('/workspace/out/data.json', 'w'))\n"},
                      {{"x", 21}}));
  ASSERT_EQ(r.status, "completed") << r.stderr_text;
  EXPECT_EQ(r.outputs, (object{{"twice", 42}, {"cwd", "/workspace/src"}, {"has_manifest", true}}));
}

TEST_F(ColdExecutorTest, AnEntrypointReportsItsErrorInUnderscoreErrorJson) {
  const auto r =
      execute(shell_request(R"(echo '{"error": "no convergence", "type": "SolverError", "traceback": "at step 3"}' )"
                            R"(> /workspace/out/_error.json; exit 1)"));
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(error_member(r, "type"), "SolverError");
  EXPECT_EQ(error_member(r, "message"), "no convergence");
  EXPECT_EQ(error_member(r, "traceback"), "at step 3");
}

TEST_F(ColdExecutorTest, ANonZeroExitWithoutAnErrorFileIsARunnerErrorWithTheStderrTail) {
  const auto r = execute(shell_request("echo 'segmentation trouble' >&2; exit 3"));
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(r.exit_reason, "exit_nonzero");
  EXPECT_EQ(error_member(r, "type"), "RunnerError");
  EXPECT_NE(error_member(r, "traceback").find("segmentation trouble"), std::string::npos);
}

TEST_F(ColdExecutorTest, AnExitOkWithoutOutputsIsARunnerError) {
  const auto r = execute(shell_request("true"));
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(error_member(r, "type"), "RunnerError");
}

TEST_F(ColdExecutorTest, ProgressLinesAreKeptInOrderAndBadOnesSkipped) {
  const auto r = execute(
      shell_request(R"(printf '{"pct": 10, "msg": "mesh"}\nnot json\n{"pct": 50}\n' > /workspace/out/progress.jsonl; )"
                    R"(echo '{}' > /workspace/out/data.json)"));
  ASSERT_EQ(r.status, "completed") << r.stderr_text;
  ASSERT_EQ(r.progress.size(), 2u);
  EXPECT_EQ(r.progress[0], (object{{"pct", 10}, {"msg", "mesh"}}));
  EXPECT_EQ(r.progress[1], (object{{"pct", 50}}));
}

TEST_F(ColdExecutorTest, MemoryBeyondTheLimitFailsAsMemoryLimit) {
  auto request = command_request({"python3", "-c", "x = bytearray(1 << 30)"});
  request.resources.memory_mb = 128;
  const auto r = execute(request);
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(r.exit_reason, "memory_limit");
  EXPECT_EQ(error_member(r, "type"), "MemoryLimit");
  EXPECT_NE(error_member(r, "message").find("128 MiB"), std::string::npos);
}

// Attacks: the sandbox user writes links in out/ hoping the server reads host files.

TEST_F(ColdExecutorTest, AnOutputFileThatIsALinkIsRefusedAndNotRead) {
  const auto keys_before = shared->blobs->list_keys().size();
  const auto r =
      execute(shell_request("echo '{}' > /workspace/out/data.json; ln -s /etc/passwd /workspace/out/files/passwd"));
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(error_member(r, "type"), "OutputError");
  EXPECT_NE(error_member(r, "message").find("passwd"), std::string::npos);
  EXPECT_TRUE(r.output_files.empty());
  EXPECT_EQ(shared->blobs->list_keys().size(), keys_before);
}

TEST_F(ColdExecutorTest, OutputFilesThatIsALinkToAHostDirectoryIsRefused) {
  const auto r = execute(shell_request(
      "echo '{}' > /workspace/out/data.json; rmdir /workspace/out/files; ln -s /etc /workspace/out/files"));
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(error_member(r, "type"), "OutputError");
  EXPECT_TRUE(r.output_files.empty());
}

TEST_F(ColdExecutorTest, DataJsonThatIsALinkToAHostFileIsNotRead) {
  const fs::path secret = shared->root / "secret.json";
  std::ofstream(secret) << R"({"secret": "host data"})";
  const auto r = execute(shell_request("ln -s " + secret.string() + " /workspace/out/data.json"));
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(error_member(r, "type"), "OutputError");
  EXPECT_TRUE(r.outputs.empty());
  EXPECT_EQ(error_member(r, "message").find("host data"), std::string::npos);
}

TEST_F(ColdExecutorTest, AnOversizedOutputDocumentIsRefused) {
  const auto r = execute(command_request(
      {"python3", "-c", "open('/workspace/out/data.json', 'w').write('{\"x\": \"' + 'a' * (17 << 20) + '\"}')"}));
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(error_member(r, "type"), "OutputTooLarge");
}

TEST_F(ColdExecutorTest, TwoJobsOfOneVersionUnpackItOnce) {
  EXPECT_EQ(execute(handler_request("fixtures.basic:noop")).status, "completed");
  EXPECT_EQ(execute(handler_request("fixtures.basic:noop")).status, "completed");
  EXPECT_EQ(executor_->source_cache().unpacked(), 1u);
  EXPECT_TRUE(fs::is_regular_file(work_ / "sources" / shared->source_sha256 / "mecapy.yml"));
}

// The cache on its own.

TEST_F(ColdExecutorTest, SourceCacheGivesConcurrentCallersOneWholeTree) {
  SourceCache cache(*shared->blobs, work_ / "cache");
  fs::path first, second;
  std::thread other([&] { first = cache.sources(shared->archive_key, shared->source_sha256); });
  second = cache.sources(shared->archive_key, shared->source_sha256);
  other.join();
  EXPECT_EQ(first, second);
  EXPECT_EQ(packages::source_tree_sha256(first), shared->source_sha256);
  const auto entries = std::distance(fs::directory_iterator(work_ / "cache"), fs::directory_iterator());
  EXPECT_EQ(entries, 1) << "a temporary directory was left behind";
  const auto unpacked = cache.unpacked();
  EXPECT_GE(unpacked, 1u);
  EXPECT_LE(unpacked, 2u);
  EXPECT_EQ(cache.sources(shared->archive_key, shared->source_sha256), first);
  EXPECT_EQ(cache.unpacked(), unpacked);  // a hit unpacks nothing
  EXPECT_EQ(fs::status(first).permissions(), fs::perms(0755));
  EXPECT_EQ(fs::status(first / "mecapy.yml").permissions(), fs::perms(0644));
}

TEST_F(ColdExecutorTest, SourceCacheRefusesATreeWithAnotherChecksum) {
  SourceCache cache(*shared->blobs, work_ / "cache");
  const std::string wrong(64, 'a');
  try {
    cache.sources(shared->archive_key, wrong);
    FAIL() << "accepted sources with another checksum";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::corrupted);
    EXPECT_EQ(e.code(), "source-corrupted");
  }
  EXPECT_FALSE(fs::exists(work_ / "cache" / wrong));
  EXPECT_TRUE(fs::is_empty(work_ / "cache"));
  EXPECT_THROW(cache.sources(shared->archive_key, "../../etc"), Error);
}

}  // namespace
}  // namespace mecapy::jobs
