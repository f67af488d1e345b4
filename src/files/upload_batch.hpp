// The files of one request (the parts of a multipart/form-data body), uploaded one
// after another and recorded together, all or none. Each file's bytes stream to the
// blob store as they arrive, with the catalog's per-file limit and file-name rules;
// all of them draw from one Budget, what the owner's quota left when the batch
// began. An ended file is staged: its blob committed, no row yet, invisible to
// everyone. record() creates the rows in one transaction; a batch destroyed before
// record() releases the blobs of its staged files, so a request that fails midway
// leaves nothing behind (a crash leaves only unreferenced blobs, which
// BlobReferences::collect_orphans() removes).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "files/file_catalog.hpp"

namespace mecapy::files {

class UploadBatch {
 public:
  // Throws Error(too_large, "quota-exceeded") when the owner's quota is used up.
  UploadBatch(FileCatalog& catalog, std::string owner_id);
  ~UploadBatch();
  UploadBatch(const UploadBatch&) = delete;
  UploadBatch& operator=(const UploadBatch&) = delete;

  // Starts the next file; a file begun and not ended is discarded.
  void begin(const std::string& original_filename, const std::string& content_type);
  bool in_file() const { return current_ != nullptr; }
  // Appends to the current file; throws Error(too_large) with code
  // "file-too-large" or "quota-exceeded".
  void write(std::string_view chunk);
  // Stages the current file (its content committed to the blob store).
  void end();

  const std::vector<FileRecord>& staged() const { return staged_; }
  // Creates every staged file in one transaction and returns them; on failure
  // nothing is created and the error is rethrown. The batch is empty afterwards.
  std::vector<FileRecord> record();

 private:
  FileCatalog& catalog_;
  std::string owner_id_;
  std::shared_ptr<FileCatalog::Budget> budget_;
  std::unique_ptr<FileCatalog::Upload> current_;
  std::vector<FileRecord> staged_;
};

}  // namespace mecapy::files
