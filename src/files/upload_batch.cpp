#include "files/upload_batch.hpp"

#include <utility>

namespace mecapy::files {

UploadBatch::UploadBatch(FileCatalog& catalog, std::string owner_id)
    : catalog_(catalog), owner_id_(std::move(owner_id)), budget_(catalog.request_budget(owner_id_)) {}

UploadBatch::~UploadBatch() {
  current_.reset();  // an unfinished upload discards its bytes
  catalog_.discard(staged_);
}

void UploadBatch::begin(const std::string& original_filename, const std::string& content_type) {
  current_ = catalog_.begin_upload(owner_id_, original_filename, content_type, budget_);
}

void UploadBatch::write(std::string_view chunk) { current_->write(chunk); }

void UploadBatch::end() {
  staged_.push_back(current_->stage());
  current_.reset();
}

std::vector<FileRecord> UploadBatch::record() {
  // record() releases the blobs itself when it fails: the batch no longer owns them.
  return catalog_.record(std::exchange(staged_, {}));
}

}  // namespace mecapy::files
