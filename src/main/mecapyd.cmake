add_executable(mecapyd ${CMAKE_CURRENT_LIST_DIR}/mecapyd.cpp)
target_link_libraries(mecapyd PRIVATE mecapy_api CLI11::CLI11)
