DROP INDEX files_owner_created;
DROP TABLE files;
DROP TABLE blobs;
