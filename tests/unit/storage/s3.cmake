# S3 blob store tests (included by storage/CMakeLists.txt).
#   sigv4_tests  signatures compared with botocore's (python3 on PATH)
#   s3_tests     the S3 store against a real moto server started once per binary by
#                tests/peers/s3, plus the shared blob store suite
add_executable(sigv4_tests ${CMAKE_CURRENT_LIST_DIR}/sigv4_test.cpp)
target_link_libraries(sigv4_tests PRIVATE mecapy_storage GTest::gtest_main)
target_compile_definitions(sigv4_tests PRIVATE MECAPY_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
gtest_discover_tests(sigv4_tests DISCOVERY_MODE PRE_TEST)

add_executable(s3_tests
  ${CMAKE_CURRENT_LIST_DIR}/s3_peer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/s3_store_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/s3_suite_test.cpp)
target_include_directories(s3_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR})
# The shared suite's tests live in its library: link it whole so the linker keeps them.
target_link_libraries(s3_tests PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,blob_store_suite>" GTest::gtest_main)
target_compile_definitions(s3_tests PRIVATE MECAPY_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
# One CTest entry for the whole binary: it starts one moto server for all tests.
add_test(NAME s3_tests COMMAND s3_tests)
