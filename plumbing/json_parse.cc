// Strict JSON parsing on top of nlohmann's SAX parser: the DOM is built here
// so that duplicate keys and excessive nesting stop the parse early.
#include <vector>

#include "codec_internal.h"

namespace gitstate {

namespace {
using json = nlohmann::json;

class StrictBuilder : public nlohmann::json_sax<json> {
 public:
  explicit StrictBuilder(size_t max_depth) : max_depth_(max_depth) {}

  bool null() override { return put(json(nullptr)); }
  bool boolean(bool value) override { return put(json(value)); }
  bool number_integer(number_integer_t value) override { return put(json(value)); }
  bool number_unsigned(number_unsigned_t value) override { return put(json(value)); }
  bool number_float(number_float_t value, const string_t&) override { return put(json(value)); }
  bool string(string_t& value) override { return put(json(std::move(value))); }
  bool binary(binary_t&) override {
    error_ = "binary values are not JSON";
    return false;
  }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool key(string_t& key) override {
    json& object = *stack_.back();
    if (object.contains(key)) {
      Path object_path(path_.begin(), path_.end() - 1);
      error_ =
          "duplicate key \"" + key + "\" in the object at '" + format_pointer(object_path) + "'";
      return false;
    }
    path_.back() = std::move(key);
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const json::exception& e) override {
    // "[json.exception.parse_error.101] parse error at line 1, column 4: ..."
    std::string_view what = e.what();
    size_t bracket = what.find("] ");
    error_ = std::string(bracket == std::string_view::npos ? what : what.substr(bracket + 2));
    return false;
  }

  bool depth_exceeded() const { return depth_exceeded_; }
  const std::string& error() const { return error_; }
  json take() { return std::move(root_); }

 private:
  bool put(json value) {
    place(std::move(value));
    return true;
  }

  json* place(json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    return &(parent[path_.back()] = std::move(value));
  }

  bool open(json container) {
    if (stack_.size() >= max_depth_) {
      depth_exceeded_ = true;
      return false;
    }
    bool is_object = container.is_object();
    if (!stack_.empty() && stack_.back()->is_array())
      path_.back() = std::to_string(stack_.back()->size());
    stack_.push_back(place(std::move(container)));
    path_.emplace_back(is_object ? "" : "0");
    return true;
  }

  bool close() {
    stack_.pop_back();
    path_.pop_back();
    return true;
  }

  size_t max_depth_;
  json root_;
  std::vector<json*> stack_;  // open containers; pointers stay valid while open
  Path path_;                 // the member key or index being parsed, per open container
  bool depth_exceeded_ = false;
  std::string error_;
};

// The byte offset of the bracket that opens container number max_depth + 1.
size_t depth_overflow_offset(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return text.size();
}

std::string line_and_column(std::string_view text, size_t offset) {
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1);
}
}  // namespace

namespace codec_internal {
Result<nlohmann::json> parse_json_limited(std::string_view text, size_t max_depth) {
  StrictBuilder builder(max_depth);
  bool ok;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const json::exception& e) {
    return invalid(std::string("invalid JSON: ") + e.what());
  }
  if (ok) return builder.take();
  if (builder.depth_exceeded())
    return invalid("invalid JSON: at " +
                   line_and_column(text, depth_overflow_offset(text, max_depth)) +
                   ": nesting deeper than " + std::to_string(max_depth) + " levels");
  return invalid("invalid JSON: " + builder.error());
}
}  // namespace codec_internal

Result<nlohmann::json> parse_json_text(std::string_view text) {
  return codec_internal::parse_json_limited(text, kMaxDepth);
}

}  // namespace gitstate
