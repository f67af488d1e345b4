// Ports as stored JSON and back: the io spec kept with each function version. The
// type is written as a tree (kind, quantity, unit, elements, fields, ...) rather than
// as its spelling, so per-field units of structs and composites survive the trip;
// the spelling is kept alongside for display. port_from_json(port_to_json(p)) == p.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <vector>

#include "packages/port.hpp"

namespace mecapy::packages {

boost::json::object port_type_to_json(const PortType& type);
PortType port_type_from_json(const boost::json::value& json);  // throws Error(corrupted) on a bad document

boost::json::object port_to_json(const Port& port);
Port port_from_json(const boost::json::value& json);

boost::json::array ports_to_json(const std::vector<Port>& ports);
std::vector<Port> ports_from_json(const boost::json::value& json);

}  // namespace mecapy::packages
