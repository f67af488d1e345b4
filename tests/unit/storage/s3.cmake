# S3 blob store tests (included by storage/CMakeLists.txt).
#   sigv4_tests  signatures compared with botocore's (python3 on PATH)
#   s3_tests     the S3 store against a real moto server started once per binary by
#                tests/peers/s3, plus the shared blob store suite
add_executable(sigv4_tests ${CMAKE_CURRENT_LIST_DIR}/sigv4_test.cpp)
target_link_libraries(sigv4_tests PRIVATE mecapy_storage GTest::gtest_main)
target_compile_definitions(sigv4_tests PRIVATE MECAPY_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
gtest_discover_tests(sigv4_tests DISCOVERY_MODE PRE_TEST)
