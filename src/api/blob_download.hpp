// Serving a stored blob as a download: ETag (its SHA-256) and If-None-Match, single
// byte ranges (206, 416) and If-Range, an integrity check against the SHA-256 (always
// below 16 MiB, on ?verify=true above), a safe Content-Type and Content-Disposition,
// and a body streamed from the blob store. Users' files and job output files use it.
#pragma once

#include <cstdint>
#include <string>

#include "http/message.hpp"
#include "storage/blob_store.hpp"

namespace mecapy::api {

struct DownloadTarget {
  std::string blob_key;
  std::uint64_t size = 0;
  std::string sha256;
  std::string filename;      // for Content-Disposition
  std::string content_type;  // sent when it is a valid media type
  std::string what;          // "file <id>", for messages
};

// Throws Error(corrupted) when the stored content no longer matches.
http::Response serve_blob(storage::BlobStore& blobs, const http::Request& req, const DownloadTarget& target);

}  // namespace mecapy::api
