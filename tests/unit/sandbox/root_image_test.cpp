// Root images: built once per layout, shared by the runs (kept or pinned), read-only,
// and never modified by a run; a failed build names its step and touches nothing on
// the host.
#include "sandbox/root_image.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/errors.hpp"
#include "sandbox/test_sandbox.hpp"

namespace mecapy::sandbox {
namespace {

std::uint64_t inode_of_fd(int fd) {
  struct stat info {};
  EXPECT_EQ(::fstat(fd, &info), 0);
  return info.st_ino;
}

// Runs `script` with /bin/sh inside the image's namespace itself (not a copy), from a
// forked child, and returns its exit status.
int run_in_image(int image_fd, const char* script) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::setns(image_fd, CLONE_NEWNS) != 0) ::_exit(100);
    ::execl("/bin/sh", "sh", "-c", script, static_cast<char*>(nullptr));
    ::_exit(101);
  }
  int status = -1;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(SandboxRootImages, OneImagePerLayoutIsKeptAndShared) {
  RootImages images("", "/tmp");
  const ImageLayout layout;
  const UniqueFd first = images.open(layout);
  const UniqueFd again = images.open(layout);
  ASSERT_TRUE(first);
  EXPECT_NE(first.get(), again.get());  // each caller owns its descriptor
  EXPECT_EQ(inode_of_fd(first.get()), inode_of_fd(again.get()));
  ImageLayout other = layout;
  other.hostname = "elsewhere";
  EXPECT_NE(inode_of_fd(images.open(other).get()), inode_of_fd(first.get()));
  images.remove_all();
  EXPECT_NE(inode_of_fd(images.open(layout).get()), inode_of_fd(first.get()));
}

TEST(SandboxRootImages, PinnedImageOutlivesItsBuilderUntilRemoved) {
  const std::string dir = "/run/mecapy-image-test-" + std::to_string(::getpid());
  std::uint64_t built = 0;
  {
    RootImages first_process(dir, "/tmp");
    built = inode_of_fd(first_process.open(ImageLayout{}).get());
  }
  RootImages second_process(dir, "/tmp");
  EXPECT_EQ(inode_of_fd(second_process.open(ImageLayout{}).get()), built);
  std::size_t pins = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    pins += entry.path().filename().string().starts_with("image-") ? 1 : 0;
  EXPECT_EQ(pins, 1u);
  second_process.remove_all();
  EXPECT_EQ(::rmdir(dir.c_str()), 0) << "the pin directory should be empty";
}

ImageLayout layout_named(const std::string& hostname) {
  ImageLayout layout;
  layout.hostname = hostname;
  return layout;
}

std::size_t pins_in(const std::string& dir) {
  std::size_t pins = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    pins += entry.path().filename().string().starts_with("image-") ? 1 : 0;
  return pins;
}

TEST(SandboxRootImages, LeastRecentlyUsedImageIsEvictedPastTheBound) {
  RootImages images("", "/tmp", 2);
  const UniqueFd a = images.open(layout_named("a"));
  const UniqueFd b = images.open(layout_named("b"));
  images.open(layout_named("a"));  // a is now more recent than b
  images.open(layout_named("c"));  // one too many: b goes
  EXPECT_EQ(inode_of_fd(images.open(layout_named("a")).get()), inode_of_fd(a.get()));
  EXPECT_NE(inode_of_fd(images.open(layout_named("b")).get()), inode_of_fd(b.get()));
  // A run that still holds an evicted image keeps it whole.
  EXPECT_EQ(run_in_image(b.get(), "test -d /usr/bin && test -c /dev/null"), 0);
}

TEST(SandboxRootImages, PinnedImagesAreBoundedToo) {
  const std::string dir = "/run/mecapy-image-bound-test-" + std::to_string(::getpid());
  RootImages images(dir, "/tmp", 2);
  std::map<std::string, std::uint64_t> built;
  for (const char* name : {"a", "b", "c", "d"}) built[name] = inode_of_fd(images.open(layout_named(name)).get());
  EXPECT_EQ(pins_in(dir), 2u);
  // The two oldest pins went: c is still pinned, a is built again.
  EXPECT_EQ(inode_of_fd(images.open(layout_named("c")).get()), built["c"]);
  EXPECT_NE(inode_of_fd(images.open(layout_named("a")).get()), built["a"]);
  EXPECT_EQ(pins_in(dir), 2u);
  images.remove_all();
  EXPECT_EQ(::rmdir(dir.c_str()), 0) << "the pin directory should be empty";
}

TEST(SandboxRootImages, ImageIsReadOnlyWithEmptyMountPoints) {
  ImageLayout layout;
  layout.extra_mount_points = {ResolvedBind{"/etc", "/opt/data", false, true},
                               ResolvedBind{"/etc/hostname", "/opt/one-file", false, false}};
  const UniqueFd image = build_root_image(layout, "/tmp");
  EXPECT_EQ(run_in_image(image.get(), "test -d /opt/data && test -f /opt/one-file && test ! -s /opt/one-file"), 0);
  EXPECT_EQ(run_in_image(image.get(), "test -z \"$(ls -A /proc)$(ls -A /tmp)$(ls -A /workspace)\""), 0);
  EXPECT_EQ(run_in_image(image.get(), "grep -q '^sandbox:x:65534:65534:' /etc/passwd"), 0);
  EXPECT_EQ(run_in_image(image.get(), "test -c /dev/null && test -c /dev/urandom && test -s /etc/ld.so.cache"), 0);
  const std::string same_cache_size =
      "test $(wc -c < /etc/ld.so.cache) -eq " + std::to_string(std::filesystem::file_size("/etc/ld.so.cache"));
  EXPECT_EQ(run_in_image(image.get(), same_cache_size.c_str()), 0);
  EXPECT_NE(run_in_image(image.get(), "touch /new-file 2>/dev/null"), 0);
  EXPECT_NE(run_in_image(image.get(), "touch /usr/new-file 2>/dev/null"), 0);
}

TEST(SandboxRootImages, RunsLeaveTheImageUntouched) {
  auto& sandbox = testing::test_sandbox();
  SandboxSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo data > /tmp/left-behind && echo data > /workspace/left-behind"};
  ASSERT_EQ(sandbox.run(spec).reason, Reason::ok);
  // The next run, on the same image, starts from a clean /tmp and /workspace.
  spec.argv = {"/bin/sh", "-c", "test ! -e /tmp/left-behind && test ! -e /workspace/left-behind"};
  EXPECT_EQ(sandbox.run(spec).reason, Reason::ok);
}

TEST(SandboxRootImages, FailedBuildNamesItsStepAndLeavesTheHostAlone) {
  ImageLayout layout;
  const std::string missing = "/usr/mecapy-image-test-" + std::to_string(::getpid());
  layout.extra_mount_points = {ResolvedBind{"/etc", missing + "/inside", false, true}};
  try {
    build_root_image(layout, "/tmp");
    FAIL() << "the build should fail: /usr is read-only in the image";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::unavailable);
    EXPECT_EQ(std::string(error.what()),
              "building the root image: mkdir " + missing + ": EROFS: Read-only file system");
  }
  EXPECT_FALSE(std::filesystem::exists(missing));
}

}  // namespace
}  // namespace mecapy::sandbox
