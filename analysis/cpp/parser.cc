#include "analysis/cpp/parser.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace lockspan::cpp {
namespace {

constexpr int kMaxScopeDepth = 200;

bool is_open(std::string_view t) { return t == "(" || t == "[" || t == "{" || t == "<:" || t == "<%"; }
bool is_close(std::string_view t) { return t == ")" || t == "]" || t == "}" || t == ":>" || t == "%>"; }
char norm(std::string_view t) {
  if (t == "<:" || t == ":>") return t[0] == '<' ? '[' : ']';
  if (t == "<%" || t == "%>") return t[0] == '<' ? '{' : '}';
  return t[0];
}
char opener_of(char close) { return close == ')' ? '(' : close == ']' ? '[' : '{'; }

void match_brackets(FileModel& m) {
  m.match.assign(m.tokens.size(), -1);
  std::vector<size_t> stack;
  for (size_t i = 0; i < m.tokens.size(); ++i) {
    std::string_view t = m.tokens[i].text;
    if (is_open(t)) {
      stack.push_back(i);
    } else if (is_close(t)) {
      char want = opener_of(norm(t));
      // Recover from a stray opener by unwinding to the nearest matching one.
      auto it = std::find_if(stack.rbegin(), stack.rend(),
                             [&](size_t j) { return norm(m.tokens[j].text) == want; });
      if (it == stack.rend()) {
        m.problems.push_back("unbalanced '" + std::string(t) + "' at line " +
                             std::to_string(m.tokens[i].line));
        continue;
      }
      size_t open = *it;
      stack.erase(std::next(it).base(), stack.end());
      m.match[open] = static_cast<long>(i);
      m.match[i] = static_cast<long>(open);
    }
  }
  if (!stack.empty())
    m.problems.push_back("unclosed '" + std::string(m.tokens[stack.front()].text) + "' at line " +
                         std::to_string(m.tokens[stack.front()].line));
}

class Parser {
 public:
  explicit Parser(FileModel& m) : m_(m), t_(m.tokens) {}

  void run() { scope(0, t_.size(), "", 0); }

 private:
  FileModel& m_;
  const std::vector<Token>& t_;

  bool at(size_t i, std::string_view s) const { return i < t_.size() && t_[i].text == s; }

  // One past the group opened at i, or i + 1 when it has no partner.
  size_t after_group(size_t i) const {
    long j = m_.match[i];
    return j > static_cast<long>(i) ? static_cast<size_t>(j) + 1 : i + 1;
  }

  size_t skip_to_semicolon(size_t i, size_t end) const {
    while (i < end && !at(i, ";")) i = is_open(t_[i].text) ? after_group(i) : i + 1;
    return std::min(end, i + 1);
  }

  void scope(size_t i, size_t end, const std::string& cls, int depth) {
    if (depth > kMaxScopeDepth) {
      m_.problems.push_back("declarations nested deeper than " + std::to_string(kMaxScopeDepth) +
                            " levels at line " + std::to_string(t_[i].line) + " were not read");
      return;
    }
    while (i < end) {
      const Token& tok = t_[i];
      if (tok.is(";") || tok.is("}")) {
        ++i;
      } else if (tok.is("namespace")) {
        i = namespace_decl(i, end, depth);
      } else if (tok.is("extern") && i + 2 < end && t_[i + 1].kind == TokenKind::Literal &&
                 at(i + 2, "{")) {
        size_t close = after_group(i + 2);
        scope(i + 3, close - 1, cls, depth + 1);
        i = close;
      } else if (tok.is("template")) {
        i = at(i + 1, "<") ? skip_angles(t_, i + 1, end) : i + 1;
      } else if ((tok.is("public") || tok.is("private") || tok.is("protected")) && at(i + 1, ":")) {
        i += 2;
      } else if (tok.is("using")) {
        i = using_decl(i, end);
      } else if (tok.is("typedef")) {
        i = typedef_decl(i, end);
      } else if (tok.is("static_assert") || tok.is("friend")) {
        i = skip_to_semicolon(i, end);
      } else if (tok.is("enum")) {
        i = skip_to_semicolon(i, end);
      } else {
        i = declaration(i, end, cls, depth);
      }
    }
  }

  size_t namespace_decl(size_t i, size_t end, int depth) {
    size_t j = i + 1;
    while (j < end && !at(j, "{") && !at(j, ";") && !at(j, "=")) ++j;
    if (j < end && at(j, "{")) {
      size_t close = after_group(j);
      scope(j + 1, close - 1, "", depth + 1);
      return close;
    }
    return skip_to_semicolon(j, end);
  }

  size_t using_decl(size_t i, size_t end) {
    size_t stop = skip_to_semicolon(i, end);
    if (i + 3 < stop && t_[i + 1].is_ident() && at(i + 2, "=")) {
      m_.aliases.push_back({std::string(t_[i + 1].text), join_tokens(t_, {i + 3, stop - 1})});
    }
    return stop;
  }

  size_t typedef_decl(size_t i, size_t end) {
    size_t stop = skip_to_semicolon(i, end);
    size_t last = stop - 1;  // the ';'
    if (last > i + 2 && t_[last - 1].is_ident() && !at(last - 2, "(")) {
      m_.aliases.push_back({std::string(t_[last - 1].text), join_tokens(t_, {i + 1, last - 1})});
    }
    return stop;
  }

  // A class head: class-key, a name, optional final and bases, then '{'.
  bool class_head(size_t i, size_t brace, ClassDef& out) const {
    size_t k = i;
    while (k < brace && !(at(k, "class") || at(k, "struct") || at(k, "union"))) {
      if (at(k, "(") || at(k, "=")) return false;
      k = is_open(t_[k].text) ? after_group(k) : k + 1;
    }
    if (k >= brace) return false;
    if (k > i && at(k - 1, "enum")) return false;
    size_t n = k + 1;
    while (n < brace && (at(n, "[") || at(n, "alignas") || at(n, "__attribute__") || at(n, "__declspec"))) {
      n = at(n, "[") ? after_group(n) : (at(n + 1, "(") ? after_group(n + 1) : n + 1);
    }
    std::string name;
    while (n < brace && (t_[n].is_ident() || at(n, "::"))) {
      if (t_[n].is_ident()) name = std::string(t_[n].text);
      ++n;
      if (at(n, "<")) n = skip_angles(t_, n, brace);
    }
    while (n < brace && at(n, "final")) ++n;
    if (n < brace && !at(n, ":")) return false;
    for (size_t b = n; b < brace; ++b) {
      if (at(b, "(")) return false;
      if (t_[b].is_ident() && !at(b + 1, "::") && (at(b + 1, ",") || at(b + 1, "<") || b + 1 == brace))
        out.bases.emplace_back(t_[b].text);
    }
    out.name = name;
    return true;
  }

  size_t declaration(size_t i, size_t end, const std::string& cls, int depth) {
    // Find the first '{', ';' or '=' at this level.
    size_t j = i;
    while (j < end && !at(j, "{") && !at(j, ";") && !at(j, "=") && !at(j, "}")) {
      j = (is_open(t_[j].text) && !at(j, "{")) ? after_group(j) : j + 1;
    }
    if (j >= end || at(j, "}")) return j >= end ? end : j;
    if (at(j, "{")) {
      ClassDef c;
      if (class_head(i, j, c)) {
        size_t close = after_group(j);
        c.body = {j + 1, close - 1};
        std::string nested = c.name.empty() ? cls : c.name;
        m_.classes.push_back(c);
        scope(j + 1, close - 1, nested, depth + 1);
        return skip_to_semicolon(close, end);
      }
    }
    if (size_t next = function(i, j, end, cls); next != 0) return next;
    // A variable or field, maybe with an initializer that holds lambdas.
    record_field(i, j, cls);
    size_t stop = skip_to_semicolon(i, end);
    lambdas_in({i, stop});
    return stop;
  }

  // Tries a function definition whose declarator starts in [i, j). Returns
  // one past its body, or 0 when this is not a function definition.
  size_t function(size_t i, size_t j, size_t end, const std::string& cls) {
    size_t open = i;
    for (; open < j; open = is_open(t_[open].text) ? after_group(open) : open + 1) {
      if (!at(open, "(")) continue;
      if (open == i) return 0;
      const Token& before = t_[open - 1];
      if (before.is_ident() && !is_keyword(before.text)) break;
      if (before.is(">") || before.is("]") || before.is(")")) {
        // operator(), operator[], template specializations.
        if (operator_start(open) != open) break;
      }
    }
    if (open >= j && !at(j, "{")) return 0;
    if (open >= end || !at(open, "(")) return 0;
    size_t close = after_group(open) - 1;
    size_t k = close + 1;
    size_t body = tail(k, end);
    if (body == 0 || !at(body, "{")) return 0;
    FunctionDef f;
    size_t name_begin = operator_start(open);
    if (name_begin == open) name_begin = open - 1;
    f.name = join_tokens(t_, {name_begin, open});
    f.name.erase(std::remove(f.name.begin(), f.name.end(), ' '), f.name.end());
    f.name_token = name_begin;
    size_t q = name_begin;
    if (q > i && at(q - 1, "~")) {
      f.is_dtor = true;
      f.name = "~" + f.name;
      --q;
    }
    f.class_name = cls;
    if (q >= 2 && at(q - 1, "::") && t_[q - 2].is_ident()) {
      f.class_name = std::string(t_[q - 2].text);
      q -= 2;
      while (q >= 2 && at(q - 1, "::") && t_[q - 2].is_ident()) q -= 2;
    } else if (q >= 2 && at(q - 1, "::") && at(q - 2, ">")) {
      // Class<T>::method: walk back over the template arguments.
      size_t a = q - 2;
      int d = 0;
      for (; a > i; --a) {
        if (at(a, ">")) ++d;
        else if (at(a, "<") && --d == 0) break;
      }
      if (a > i && t_[a - 1].is_ident()) f.class_name = std::string(t_[a - 1].text), q = a - 1;
    }
    std::string bare = f.is_dtor ? f.name.substr(1) : f.name;
    f.is_ctor = !f.is_dtor && bare == f.class_name;
    f.return_type = {i, q};
    f.params = {open + 1, close};
    size_t body_close = after_group(body);
    f.body = {body + 1, body_close - 1};
    m_.functions.push_back(f);
    size_t next = body_close;
    // Function-try-block handlers.
    while (at(next, "catch") && at(next + 1, "(")) {
      size_t h = after_group(next + 1);
      next = at(h, "{") ? after_group(h) : h;
    }
    return next;
  }

  // For '(' at `open`, the first token of an operator name ("operator" "(" ")"
  // or "operator" "[" "]"), else `open`.
  size_t operator_start(size_t open) const {
    for (size_t b = open; b > 0 && b + 4 > open; --b)
      if (at(b - 1, "operator")) return b - 1;
    return open;
  }

  // After a parameter list: qualifiers, trailing return, requires, ctor
  // initializers. Returns the index of the body '{', or 0.
  size_t tail(size_t k, size_t end) const {
    static const std::unordered_set<std::string_view> quals = {
        "const", "volatile", "&", "&&", "override", "final", "mutable", "constexpr", "consteval", "try"};
    while (k < end) {
      std::string_view s = t_[k].text;
      if (quals.count(s)) {
        ++k;
      } else if ((s == "noexcept" || s == "throw" || s == "__attribute__" || s == "alignas") &&
                 at(k + 1, "(")) {
        k = after_group(k + 1);
      } else if (s == "noexcept") {
        ++k;
      } else if (s == "[" && at(k + 1, "[")) {
        k = after_group(k);
      } else if (s == "->" || s == "requires") {
        ++k;
        while (k < end && !at(k, "{") && !at(k, ";") && !at(k, "=")) {
          k = (is_open(t_[k].text) && !at(k, "{")) ? after_group(k) : k + 1;
        }
      } else if (s == ":") {
        return ctor_initializers(k + 1, end);
      } else if (s == "{") {
        return k;
      } else if (t_[k].is_ident() && at(k + 1, "(")) {
        k = after_group(k + 1);  // annotation macros: LOCKS_EXCLUDED(mu)
      } else if (t_[k].is_ident() && std::all_of(s.begin(), s.end(), [](char c) {
                   return std::isupper(static_cast<unsigned char>(c)) || c == '_' ||
                          std::isdigit(static_cast<unsigned char>(c));
                 })) {
        ++k;  // annotation macros without arguments
      } else {
        return 0;
      }
    }
    return 0;
  }

  size_t ctor_initializers(size_t k, size_t end) const {
    while (k < end) {
      while (k < end && (t_[k].is_ident() || at(k, "::") || at(k, "..."))) {
        ++k;
        if (at(k, "<")) k = skip_angles(t_, k, end);
      }
      if (!at(k, "(") && !at(k, "{")) return 0;
      k = after_group(k);
      if (at(k, ",")) {
        ++k;
        continue;
      }
      return at(k, "{") ? k : 0;
    }
    return 0;
  }

  void record_field(size_t i, size_t j, const std::string& cls) {
    // TYPE NAME [ '[' ... ']' ] followed by ; = { ( :
    size_t stop = i;
    while (stop < j && !at(stop, "(") && !at(stop, "[") && !at(stop, ":") && !at(stop, ",")) {
      stop = at(stop, "<") ? std::max(stop + 1, skip_angles(t_, stop, j)) : stop + 1;
    }
    if (at(stop, ":") && at(stop - 1, "::")) return;
    if (stop <= i + 1 || stop > j) return;
    const Token& name = t_[stop - 1];
    if (!name.is_ident() || is_keyword(name.text)) return;
    size_t type_begin = i;
    while (type_begin < stop - 1 &&
           (at(type_begin, "static") || at(type_begin, "inline") || at(type_begin, "mutable") ||
            at(type_begin, "thread_local") || at(type_begin, "constexpr") || at(type_begin, "extern")))
      ++type_begin;
    if (type_begin >= stop - 1) return;
    m_.fields.push_back({cls, std::string(name.text), join_tokens(t_, {type_begin, stop - 1})});
  }

  void lambdas_in(Range r) {
    for (const LambdaSpan& l : find_lambdas(m_, r)) {
      FunctionDef f;
      f.name = "lambda";
      f.is_lambda = true;
      f.return_type = l.trailing_return;
      f.params = l.params;
      f.body = l.body;
      f.name_token = l.intro;
      m_.functions.push_back(f);
    }
  }
};

bool can_start_lambda(const std::vector<Token>& t, size_t i, size_t begin) {
  if (i == begin) return true;
  const Token& p = t[i - 1];
  if (p.is_ident() && !is_keyword(p.text)) return false;
  if (p.kind == TokenKind::Literal) return false;
  if (p.is(")") || p.is("]") || p.is(">") || p.is("[")) return false;
  if (p.kind == TokenKind::Keyword)
    return p.is("return") || p.is("co_return") || p.is("co_await") || p.is("co_yield") || p.is("throw");
  return true;
}

}  // namespace

bool is_keyword(std::string_view s) {
  static const std::unordered_set<std::string_view> kw = {
      "alignas", "alignof", "auto", "bool", "break", "case", "catch", "char", "class", "co_await",
      "co_return", "co_yield", "const", "consteval", "constexpr", "constinit", "const_cast",
      "continue", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
      "explicit", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int",
      "long", "mutable", "namespace", "new", "noexcept", "nullptr", "operator", "private",
      "protected", "public", "register", "reinterpret_cast", "requires", "return", "short",
      "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch",
      "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid",
      "typename", "union", "unsigned", "using", "virtual", "void", "volatile", "while"};
  return kw.count(s) > 0;
}

std::string join_tokens(const std::vector<Token>& tokens, Range r) {
  std::string out;
  for (size_t i = r.begin; i < r.end && i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    bool word = !t.text.empty() && (std::isalnum(static_cast<unsigned char>(t.text[0])) || t.text[0] == '_');
    if (!out.empty()) {
      char last = out.back();
      bool last_word = std::isalnum(static_cast<unsigned char>(last)) || last == '_';
      if (word && last_word) out += ' ';
      else if (last == ',') out += ' ';
    }
    out += t.text;
  }
  return out;
}

size_t skip_angles(const std::vector<Token>& t, size_t i, size_t limit) {
  int depth = 0;
  for (size_t k = i; k < limit && k < t.size(); ++k) {
    std::string_view s = t[k].text;
    if (s == "<") ++depth;
    else if (s == ">") --depth;
    else if (s == ">>") depth -= 2;
    else if (s == ";" || s == "{" || s == "}") return i;
    else if (s == "(" || s == "[") {
      // Parentheses inside template arguments: skip them whole.
      int pd = 1;
      while (++k < limit && pd > 0) {
        if (t[k].is("(") || t[k].is("[")) ++pd;
        else if (t[k].is(")") || t[k].is("]")) --pd;
      }
      --k;
    }
    if (depth <= 0) return k + 1;
  }
  return i;
}

std::vector<LambdaSpan> find_lambdas(const FileModel& m, Range r) {
  std::vector<LambdaSpan> out;
  const auto& t = m.tokens;
  auto group_end = [&](size_t i) {
    long j = m.match[i];
    return j > static_cast<long>(i) ? static_cast<size_t>(j) + 1 : i + 1;
  };
  for (size_t i = r.begin; i < r.end;) {
    if (!t[i].is("[") || (i + 1 < r.end && t[i + 1].is("[")) || !can_start_lambda(t, i, r.begin)) {
      ++i;
      continue;
    }
    size_t k = group_end(i);
    LambdaSpan l;
    l.intro = i;
    if (k < r.end && t[k].is("<")) k = skip_angles(t, k, r.end);
    if (k < r.end && t[k].is("(")) {
      l.params = {k + 1, group_end(k) - 1};
      k = group_end(k);
    }
    while (k < r.end && !t[k].is("{")) {
      if (t[k].is("->")) {
        size_t ret = k + 1;
        while (k < r.end && !t[k].is("{")) k = t[k].is("(") ? group_end(k) : k + 1;
        l.trailing_return = {ret, k};
        break;
      }
      if (t[k].is("mutable") || t[k].is("constexpr") || t[k].is("consteval") || t[k].is("static") ||
          t[k].is("noexcept")) {
        ++k;
      } else if ((t[k].is("noexcept") || t[k].is("requires")) && k + 1 < r.end && t[k + 1].is("(")) {
        k = group_end(k + 1);
      } else if (t[k].is("[") && k + 1 < r.end && t[k + 1].is("[")) {
        k = group_end(k);
      } else {
        break;
      }
    }
    if (k >= r.end || !t[k].is("{") || m.match[k] < 0) {
      ++i;
      continue;
    }
    l.body = {k + 1, static_cast<size_t>(m.match[k])};
    l.end = static_cast<size_t>(m.match[k]) + 1;
    out.push_back(l);
    i = l.end;
  }
  return out;
}

// Function-like macros, read from the text (directives never reach the tokens).
void read_macros(FileModel& m) {
  const std::string& s = m.source;
  for (size_t pos = s.find("define"); pos != std::string::npos; pos = s.find("define", pos + 6)) {
    size_t line = s.rfind('\n', pos);
    line = line == std::string::npos ? 0 : line + 1;
    size_t hash = s.find_first_not_of(" \t", line);
    if (hash == std::string::npos || s[hash] != '#' || s.find_first_not_of(" \t", hash + 1) != pos) continue;
    size_t name_begin = s.find_first_not_of(" \t", pos + 6);
    size_t name_end = name_begin;
    while (name_end < s.size() && (std::isalnum(static_cast<unsigned char>(s[name_end])) || s[name_end] == '_')) ++name_end;
    if (name_end == name_begin || name_end >= s.size() || s[name_end] != '(') continue;
    size_t close = s.find(')', name_end);
    if (close == std::string::npos) continue;
    MacroDef def;
    def.name = s.substr(name_begin, name_end - name_begin);
    std::string params = s.substr(name_end + 1, close - name_end - 1);
    for (size_t p = 0; p <= params.size();) {
      size_t comma = params.find(',', p);
      if (comma == std::string::npos) comma = params.size();
      std::string one;
      for (char c : params.substr(p, comma - p))
        if (!std::isspace(static_cast<unsigned char>(c))) one += c;
      if (!one.empty()) def.params.push_back(one);
      p = comma + 1;
    }
    size_t end = close + 1;
    while (true) {  // the body runs over backslash-continued lines
      size_t eol = s.find('\n', end);
      if (eol == std::string::npos) { end = s.size(); break; }
      size_t last = eol;
      while (last > end && (s[last - 1] == '\r' || s[last - 1] == ' ')) --last;
      if (last > end && s[last - 1] == '\\') { end = eol + 1; continue; }
      end = eol;
      break;
    }
    def.body = s.substr(close + 1, end - close - 1);
    m.macros.push_back(std::move(def));
  }
}

void parse_structure(FileModel& model) {
  match_brackets(model);
  if (model.source.find("define") != std::string::npos) read_macros(model);
  Parser(model).run();
}

}  // namespace lockspan::cpp
