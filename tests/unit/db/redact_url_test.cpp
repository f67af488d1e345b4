// redact_url: no password survives in a database location shown in logs or errors,
// wherever the libpq syntax puts it (URI userinfo, URI query, key=value conninfo).
#include <gtest/gtest.h>

#include "db/database.hpp"

using mecapy::db::redact_url;

TEST(RedactUrl, UserinfoPassword) {
  EXPECT_EQ(redact_url("postgresql://u:secret@h:5/db"), "postgresql://u:***@h:5/db");
  EXPECT_EQ(redact_url("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(redact_url("postgres://u:p%40ss@h/db?sslmode=require"), "postgres://u:***@h/db?sslmode=require");
}

TEST(RedactUrl, QueryPasswords) {
  EXPECT_EQ(redact_url("postgresql://h/db?password=secret"), "postgresql://h/db?password=***");
  EXPECT_EQ(redact_url("postgresql://h/db?sslmode=require&password=secret&user=u"),
            "postgresql://h/db?sslmode=require&password=***&user=u");
  EXPECT_EQ(redact_url("postgresql://h/db?sslpassword=k3y&PASSWORD=s"),
            "postgresql://h/db?sslpassword=***&PASSWORD=***");
  EXPECT_EQ(redact_url("postgresql://u:a@h/db?password=b"), "postgresql://u:***@h/db?password=***");
}

TEST(RedactUrl, KeyValueConninfo) {
  EXPECT_EQ(redact_url("password=secret host=db.example user=u"), "password=*** host=db.example user=u");
  EXPECT_EQ(redact_url("host=h password = 'sec ret' dbname=x"), "host=h password = *** dbname=x");
  EXPECT_EQ(redact_url("host=h sslpassword=k\\ ey port=5"), "host=h sslpassword=*** port=5");
  EXPECT_EQ(redact_url("host=h password='a\\' b' port=5"), "host=h password=*** port=5");
  EXPECT_EQ(redact_url("host=h dbname=passwords"), "host=h dbname=passwords");
}

TEST(RedactUrl, NothingSecretIsLeftAlone) {
  EXPECT_EQ(redact_url("sqlite:/var/lib/mecapy/mecapy.db"), "sqlite:/var/lib/mecapy/mecapy.db");
  EXPECT_EQ(redact_url("postgresql://h/db?passwordless=1"), "postgresql://h/db?passwordless=1");
}
