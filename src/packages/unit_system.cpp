#include "packages/unit_system.hpp"

#include <udunits2.h>

#include <array>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/errors.hpp"
#include "core/utf8.hpp"

namespace mecapy::packages {

namespace {

// A bound on what user-supplied strings may make the process keep.
constexpr std::size_t kMaxCachedUnits = 4096;
constexpr std::size_t kMaxCachedConverters = 4096;

struct Alias {
  const char* symbol;
  const char* definition;
  bool replaces_udunits;  // false: added only when UDUNITS does not define the symbol
};

// The table of unit_system.hpp's header comment.
constexpr std::array kAliases{
    Alias{"deg", "degree", false}, Alias{"Nm", "N.m", false},   Alias{"Nmm", "N.mm", false}, Alias{"Wh", "W.h", false},
    Alias{"lbm", "lb", false},     Alias{"rpm", "1/min", true}, Alias{"mph", "mi/h", true},
};

// The base units and the letter of their dimension, in the order dimensions are written.
constexpr std::array<std::pair<const char*, const char*>, 8> kBases{{
    {"kg", "M"},
    {"m", "L"},
    {"s", "T"},
    {"A", "I"},
    {"K", "Θ"},
    {"mol", "N"},
    {"cd", "J"},
    {"rad", "A"},
}};

struct Exponents {
  std::array<ut_unit*, kBases.size()>* bases = nullptr;
  std::array<int, kBases.size()> powers{};
  bool usable = true;  // false for timestamps, logarithmic units, unknown basic units
};

ut_status visit_basic(const ut_unit* unit, void* arg);
ut_status visit_product(const ut_unit*, int count, const ut_unit* const* basics, const int* powers, void* arg);
ut_status visit_galilean(const ut_unit*, double, const ut_unit* underlying, double, void* arg);
ut_status visit_timestamp(const ut_unit*, const ut_unit*, double, void* arg);
ut_status visit_logarithmic(const ut_unit*, double, const ut_unit*, void* arg);

ut_visitor dimension_visitor{visit_basic, visit_product, visit_galilean, visit_timestamp, visit_logarithmic};

void add_power(Exponents& exponents, const ut_unit* basic, int power) {
  for (std::size_t i = 0; i < kBases.size(); ++i) {
    if (ut_compare(basic, (*exponents.bases)[i]) == 0) {
      exponents.powers[i] += power;
      return;
    }
  }
  exponents.usable = false;
}

ut_status visit_basic(const ut_unit* unit, void* arg) {
  add_power(*static_cast<Exponents*>(arg), unit, 1);
  return UT_SUCCESS;
}

ut_status visit_product(const ut_unit*, int count, const ut_unit* const* basics, const int* powers, void* arg) {
  for (int i = 0; i < count; ++i) add_power(*static_cast<Exponents*>(arg), basics[i], powers[i]);
  return UT_SUCCESS;
}

ut_status visit_galilean(const ut_unit*, double, const ut_unit* underlying, double, void* arg) {
  return ut_accept_visitor(underlying, &dimension_visitor, arg);
}

ut_status visit_timestamp(const ut_unit*, const ut_unit*, double, void* arg) {
  static_cast<Exponents*>(arg)->usable = false;
  return UT_SUCCESS;
}

ut_status visit_logarithmic(const ut_unit*, double, const ut_unit*, void* arg) {
  static_cast<Exponents*>(arg)->usable = false;
  return UT_SUCCESS;
}

std::string dimension_text(const std::array<int, kBases.size()>& powers) {
  std::string out;
  for (std::size_t i = 0; i < kBases.size(); ++i) {
    if (powers[i] == 0) continue;
    if (!out.empty()) out += ' ';
    out += kBases[i].second;
    if (powers[i] != 1) out += std::to_string(powers[i]);
  }
  return out.empty() ? "1" : out;
}

bool balanced_parentheses(std::string_view text) {
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) return false;
  }
  return depth == 0;
}

// The text UDUNITS is given for `unit`, or nullopt when it is refused before parsing.
std::optional<std::string> normalised(std::string_view unit) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!unit.empty() && blank(unit.front())) unit.remove_prefix(1);
  while (!unit.empty() && blank(unit.back())) unit.remove_suffix(1);
  if (unit.empty() || unit.size() > UnitSystem::kLongestUnit) return std::nullopt;
  if (unit.find('\0') != std::string_view::npos || !balanced_parentheses(unit)) return std::nullopt;
  std::string out;
  for (char32_t cp : decode_utf8(unit)) {
    if (cp == U'\uFFFD') return std::nullopt;  // malformed UTF-8 (no unit spells U+FFFD)
    append_utf8(out, cp == U'\u22C5' ? U'\u00B7' : cp);
  }
  return out;
}

}  // namespace

struct UnitSystem::Impl {
  // A parsed unit; `unit` is null when the text is not a usable unit.
  struct Unit {
    ut_unit* unit = nullptr;
    std::string dimension;
  };

  // A unit for the length of one call: one of the cache, or one parsed for this call
  // only (the cache being full), freed at the end of the call, under the lock.
  struct Parsed {
    const Unit* cached = nullptr;
    Unit owned;
    Parsed() = default;
    Parsed(const Parsed&) = delete;
    Parsed& operator=(const Parsed&) = delete;
    ~Parsed() {
      if (owned.unit) ut_free(owned.unit);  // only then: ut_free sets UDUNITS's global status
    }
    const Unit& get() const { return cached ? *cached : owned; }
    bool known() const { return get().unit != nullptr; }
  };

  std::mutex mutex;  // guards everything below and every UDUNITS call but cv_convert_double
  ut_system* system = nullptr;
  std::array<ut_unit*, kBases.size()> bases{};
  std::unordered_map<std::string, Unit> units;
  std::map<std::pair<const Unit*, const Unit*>, cv_converter*> converters;

  Impl() {
    ut_set_error_message_handler(ut_ignore);
    system = ut_read_xml(nullptr);
    if (!system) {
      const char* path = std::getenv("UDUNITS2_XML_PATH");
      throw Error(ErrorKind::internal, "unit-database-unavailable", "the unit database could not be loaded",
                  "ut_read_xml failed with UDUNITS status " + std::to_string(ut_get_status()) +
                      (path ? std::string(" (UDUNITS2_XML_PATH=") + path + ")" : std::string(" (default database)")));
    }
    for (std::size_t i = 0; i < kBases.size(); ++i) {
      bases[i] = ut_get_unit_by_symbol(system, kBases[i].first);
      if (!bases[i]) fail("the database has no base unit " + std::string(kBases[i].first));
    }
    for (const Alias& alias : kAliases) add_alias(alias);
  }

  ~Impl() {
    for (auto& [pair, converter] : converters) cv_free(converter);
    for (auto& [text, unit] : units) ut_free(unit.unit);
    for (ut_unit* base : bases) ut_free(base);
    ut_free_system(system);
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  [[noreturn]] void fail(const std::string& cause) {
    for (ut_unit* base : bases) ut_free(base);
    ut_free_system(system);
    throw Error(ErrorKind::internal, "unit-database-unavailable", "the unit database could not be loaded", cause);
  }

  void add_alias(const Alias& alias) {
    ut_unit* existing = ut_get_unit_by_symbol(system, alias.symbol);
    const bool defined = existing != nullptr;
    if (defined) ut_free(existing);
    if (defined && !alias.replaces_udunits) return;  // a later UDUNITS defines it: keep UDUNITS's
    ut_unit* target = ut_parse(system, alias.definition, UT_UTF8);
    if (!target) fail(std::string("unit alias definition '") + alias.definition + "' does not parse");
    if (defined) ut_unmap_symbol_to_unit(system, alias.symbol, UT_UTF8);
    const ut_status status = ut_map_symbol_to_unit(alias.symbol, UT_UTF8, target);
    ut_free(target);
    if (status != UT_SUCCESS) fail(std::string("unit alias '") + alias.symbol + "' could not be added");
  }

  Unit parse_now(const std::string& text) {
    Unit parsed;
    ut_unit* unit = ut_parse(system, text.c_str(), UT_UTF8);
    if (!unit) return parsed;
    Exponents exponents;
    exponents.bases = &bases;
    if (ut_accept_visitor(unit, &dimension_visitor, &exponents) != UT_SUCCESS || !exponents.usable) {
      ut_free(unit);
      return parsed;
    }
    parsed.unit = unit;
    parsed.dimension = dimension_text(exponents.powers);
    return parsed;
  }

  // Requires the lock.
  void parse(std::string_view text, Parsed& out) {
    const std::optional<std::string> clean = normalised(text);
    if (!clean) return;
    if (const auto found = units.find(*clean); found != units.end()) {
      out.cached = &found->second;
      return;
    }
    if (units.size() >= kMaxCachedUnits) {
      out.owned = parse_now(*clean);
      return;
    }
    out.cached = &units.emplace(*clean, parse_now(*clean)).first->second;
  }

  // Both units known, of the same dimension, and `check(a, b)` true (under the lock).
  template <class Check>
  bool both_known_and_alike(std::string_view from, std::string_view to, Check check) {
    const std::lock_guard lock(mutex);
    Parsed a, b;
    parse(from, a);
    parse(to, b);
    return a.known() && b.known() && a.get().dimension == b.get().dimension && check(a.get(), b.get());
  }

  // Requires the lock; both units cached. Null when the cache is full.
  const cv_converter* cached_converter(const Unit* from, const Unit* to) {
    const auto key = std::make_pair(from, to);
    if (const auto found = converters.find(key); found != converters.end()) return found->second;
    if (converters.size() >= kMaxCachedConverters) return nullptr;
    cv_converter* converter = ut_get_converter(from->unit, to->unit);
    if (converter) converters.emplace(key, converter);
    return converter;
  }
};

UnitSystem::UnitSystem() : impl_(std::make_unique<Impl>()) {}

UnitSystem::~UnitSystem() = default;

const UnitSystem& UnitSystem::instance() {
  // Never destroyed: threads still converting while the process exits keep a valid
  // system (the operating system takes the memory back).
  static const UnitSystem* const system = new UnitSystem();
  return *system;
}

bool UnitSystem::is_known(std::string_view unit) const {
  const std::lock_guard lock(impl_->mutex);
  Impl::Parsed parsed;
  impl_->parse(unit, parsed);
  return parsed.known();
}

bool UnitSystem::convertible(std::string_view from, std::string_view to) const {
  return impl_->both_known_and_alike(
      from, to, [](const Impl::Unit& a, const Impl::Unit& b) { return ut_are_convertible(a.unit, b.unit) != 0; });
}

bool UnitSystem::same_unit(std::string_view a, std::string_view b) const {
  return impl_->both_known_and_alike(
      a, b, [](const Impl::Unit& x, const Impl::Unit& y) { return &x == &y || ut_compare(x.unit, y.unit) == 0; });
}

std::optional<double> UnitSystem::convert(double value, std::string_view from, std::string_view to) const {
  std::unique_lock lock(impl_->mutex);
  Impl::Parsed a, b;
  impl_->parse(from, a);
  impl_->parse(to, b);
  if (!a.known() || !b.known() || a.get().dimension != b.get().dimension) return std::nullopt;
  if (&a.get() == &b.get() || ut_compare(a.get().unit, b.get().unit) == 0) return value;  // no arithmetic
  if (!ut_are_convertible(a.get().unit, b.get().unit)) return std::nullopt;
  if (a.cached && b.cached) {
    if (const cv_converter* converter = impl_->cached_converter(a.cached, b.cached)) {
      lock.unlock();
      return cv_convert_double(converter, value);
    }
  }
  cv_converter* converter = ut_get_converter(a.get().unit, b.get().unit);
  if (!converter) return std::nullopt;
  const double result = cv_convert_double(converter, value);
  cv_free(converter);
  return result;
}

std::optional<std::string> UnitSystem::dimension(std::string_view unit) const {
  const std::lock_guard lock(impl_->mutex);
  Impl::Parsed parsed;
  impl_->parse(unit, parsed);
  if (!parsed.known()) return std::nullopt;
  return parsed.get().dimension;
}

}  // namespace mecapy::packages
