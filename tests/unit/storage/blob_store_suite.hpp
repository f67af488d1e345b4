// The storage suite every blob store driver must pass. A driver's test file
// instantiates it with a factory that returns a fresh, empty store:
//   INSTANTIATE_TEST_SUITE_P(Local, BlobStoreSuite, ::testing::Values(StoreFactory{...}));
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "storage/blob_store.hpp"

namespace mecapy::storage::testing {

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<BlobStore>()> make;
};

inline std::string PrintToString(const StoreFactory& f) { return f.name; }

class BlobStoreSuite : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { store = GetParam().make(); }
  std::unique_ptr<BlobStore> store;
};

// Reads a whole range into memory (test data only).
std::string read_all(BlobReader& reader);

}  // namespace mecapy::storage::testing
