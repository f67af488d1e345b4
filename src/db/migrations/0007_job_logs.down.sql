DROP TABLE job_logs;
