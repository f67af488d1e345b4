add_executable(mecapy ${CMAKE_CURRENT_LIST_DIR}/mecapy.cpp)
target_link_libraries(mecapy PRIVATE mecapy_cli)
