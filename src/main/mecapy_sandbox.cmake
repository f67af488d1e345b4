# mecapy-sandbox: runs one command in the sandbox and prints the result as JSON.
add_executable(mecapy-sandbox ${CMAKE_CURRENT_LIST_DIR}/mecapy_sandbox.cpp)
# Start-up time is part of every sandboxed run, and dynamic linking of C++ libraries
# was most of it: Boost.JSON and the C++ runtime are linked in statically, and unused
# shared libraries are dropped, leaving only libc.
find_library(BOOST_JSON_STATIC NAMES libboost_json.a)
if(BOOST_JSON_STATIC AND NOT MECAPY_SANITIZE)
  target_link_libraries(mecapy-sandbox PRIVATE mecapy_sandbox ${BOOST_JSON_STATIC} CLI11::CLI11)
  target_link_options(mecapy-sandbox PRIVATE -Wl,--as-needed -static-libstdc++ -static-libgcc)
else()
  target_link_libraries(mecapy-sandbox PRIVATE mecapy_sandbox CLI11::CLI11)
  target_link_options(mecapy-sandbox PRIVATE -Wl,--as-needed)
endif()
