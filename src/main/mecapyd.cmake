add_executable(mecapyd ${CMAKE_CURRENT_LIST_DIR}/mecapyd.cpp ${CMAKE_CURRENT_LIST_DIR}/job_runtime.cpp
                       ${CMAKE_CURRENT_LIST_DIR}/stop_signals.cpp ${CMAKE_CURRENT_LIST_DIR}/admin_command.cpp)
target_link_libraries(mecapyd PRIVATE mecapy_api mecapy_webui mecapy_jobs mecapy_packages mecapy_sandbox mecapy_auth_accounts
                                      CLI11::CLI11)
