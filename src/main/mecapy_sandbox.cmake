# mecapy-sandbox: runs one command in the sandbox and prints the result as JSON.
add_executable(mecapy-sandbox ${CMAKE_CURRENT_LIST_DIR}/mecapy_sandbox.cpp)
target_link_libraries(mecapy-sandbox PRIVATE mecapy_sandbox CLI11::CLI11)
# Start-up time is part of every sandboxed run: no unused shared libraries.
target_link_options(mecapy-sandbox PRIVATE -Wl,--as-needed)
