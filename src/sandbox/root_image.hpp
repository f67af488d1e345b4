// Root images: the read-only part of the sandboxes' filesystem (mounts.hpp lists what
// it holds), built once and entered by every run.
//
// An image is a mount namespace whose root is a read-only tmpfs. Building one takes
// a process and some thirty mount operations (about half a millisecond); a run only
// enters it and takes a private copy of its ten mounts. Images are keyed by their
// layout (user, host name, extra mount points) and by the identity of the host files
// bound on their own (image_host_files): when ldconfig replaces ld.so.cache, the next
// run gets a new image and the old one is dropped. Runs already holding the old one
// keep it until they end. A long-running process keeps its images as descriptors;
// short-lived ones (the mecapy-sandbox command) pin them under a runtime directory
// ("<dir>/image-<layout>-<files>"), as they do the slots' namespaces.
//
// A worker that meets many layouts (every set of bind targets outside /tmp and
// /workspace is one) keeps at most `max_images` of them: past that, the least recently
// used one is dropped. Dropping an image only lets go of this process's reference:
// runs that hold it keep it until they end, and the kernel frees it after the last.
// Pins are bounded the same way, but by age (when a new pin would be one too many, the
// oldest pins go; "<dir>/images.order" lists them, written at builds only): a run that
// finds its pin does not write anything to say so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "sandbox/mounts.hpp"
#include "sandbox/unique_fd.hpp"

namespace mecapy::sandbox {

// Builds the image of `layout` in a new mount namespace and returns that namespace.
// `staging_dir` is a host directory the new root is mounted over, in the builder's
// namespace only. Throws mecapy::Error(unavailable) naming the step that failed.
UniqueFd build_root_image(const ImageLayout& layout, const std::string& staging_dir);

class RootImages {
 public:
  // `pin_dir` empty: images are kept by this process only; else pinned under it. At
  // most `max_images` (at least one) are kept, or pinned.
  RootImages(std::string pin_dir, std::string staging_dir, std::size_t max_images = 16)
      : pin_dir_(std::move(pin_dir)), staging_dir_(std::move(staging_dir)), max_images_(max_images) {}

  // The image of `layout` (a descriptor of its mount namespace, the caller's own),
  // built and kept, or pinned, when missing or out of date. Thread-safe; several
  // processes may share a pin directory. Throws mecapy::Error(unavailable).
  UniqueFd open(const ImageLayout& layout);

  // Forgets (unpins) every image.
  void remove_all();

  std::size_t max_images() const { return max_images_; }

 private:
  UniqueFd open_pinned(const std::string& layout_key, const std::string& files_key, const ImageLayout& layout);
  void evict_least_recently_used(const std::string& keep);
  void evict_oldest_pins(const std::string& newest);

  std::string pin_dir_;
  std::string staging_dir_;
  std::size_t max_images_;
  std::mutex mutex_;
  struct Kept {
    std::string files_key;
    UniqueFd image;
    std::uint64_t last_used = 0;  // tick_ when last opened
  };
  std::uint64_t tick_ = 0;
  std::map<std::string, Kept> kept_;  // by layout key
};

}  // namespace mecapy::sandbox
