// valijson, configured as the platform uses it. Every file that includes a valijson
// header includes this one instead, so that all of them see the same configuration
// (the library is header-only: two configurations in one program would break the
// one-definition rule).
//
// VALIJSON_USE_EXCEPTIONS: without it, valijson prints a message and aborts the
// process on a schema it cannot parse; with it, it throws, and JsonSchema turns that
// into an invalid-schema error.
#pragma once

#define VALIJSON_USE_EXCEPTIONS 1

#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/constraint_builder.hpp>
#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validation_visitor.hpp>
