DROP TABLE login_states;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE organization_members;
DROP TABLE organizations;
DROP TABLE users;
DROP TABLE handles;
