// The shared blob store suite, run against the S3 store on a real (moto) server:
// each test gets a fresh, empty bucket.
#include "blob_store_suite.hpp"
#include "s3_peer.hpp"
#include "storage/s3/s3_blob_store.hpp"

namespace mecapy::storage::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(
    S3, BlobStoreSuite,
    ::testing::Values(StoreFactory{
        "s3", [] { return std::make_unique<s3::S3BlobStore>(S3Peer::instance().fresh_bucket_config()); }}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace mecapy::storage::testing
