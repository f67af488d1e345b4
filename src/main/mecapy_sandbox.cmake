# mecapy-sandbox: runs one command in the sandbox and prints the result as JSON.
add_executable(mecapy-sandbox ${CMAKE_CURRENT_LIST_DIR}/mecapy_sandbox.cpp ${CMAKE_CURRENT_LIST_DIR}/command_line.cpp)
target_link_libraries(mecapy-sandbox PRIVATE mecapy_sandbox)
# Its start-up is part of every sandboxed run, and loading and relocating shared
# libraries was a third of it: it is a static position-independent executable
# (sanitizer runtimes need dynamic linking).
if(NOT MECAPY_SANITIZE)
  target_link_options(mecapy-sandbox PRIVATE -static-pie)
endif()
