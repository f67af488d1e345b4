// A curl easy handle owned by the S3 client's pool (internal to src/storage/s3).
#pragma once

#include <curl/curl.h>

#include "storage/s3/s3_client.hpp"

namespace mecapy::storage::s3 {

struct S3Client::CurlHandle {
  CURL* easy = curl_easy_init();
  CurlHandle() = default;
  ~CurlHandle() { curl_easy_cleanup(easy); }
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;
};

}  // namespace mecapy::storage::s3
