DROP INDEX function_versions_package;
DROP INDEX package_versions_package;
DROP INDEX packages_owner;
DROP TABLE function_versions;
DROP TABLE package_versions;
DROP TABLE packages;
