// A recovering structural parse of one C or C++ file: which classes,
// fields, aliases and function bodies it declares. It needs no header to be
// found and no type to be resolved: it reads the shape of the code, which is
// all a review bot can count on when the project's dependencies are absent.
#pragma once

#include <string>
#include <vector>

#include "analysis/cpp/lexer.h"

namespace lockspan::cpp {

struct Range {
  size_t begin = 0;  // token index, inclusive
  size_t end = 0;    // token index, exclusive
  bool empty() const { return begin >= end; }
};

struct FunctionDef {
  std::string name;        // "append", "operator()", "~Guard"
  std::string class_name;  // enclosing or qualifying class, "" for free functions
  Range return_type;       // leading declaration tokens (or the trailing return type)
  Range params;            // inside the parentheses
  Range body;              // inside the braces
  size_t name_token = 0;
  bool is_lambda = false;
  bool is_ctor = false;
  bool is_dtor = false;

  std::string qualified() const { return class_name.empty() ? name : class_name + "::" + name; }
};

struct FieldDecl {
  std::string class_name;  // "" for namespace-scope variables
  std::string name;
  std::string type;
};

struct ClassDef {
  std::string name;
  std::vector<std::string> bases;
  Range body;
};

struct AliasDecl {
  std::string name;
  std::string target;
};

// A function-like macro: `#define NAME(params) body`.
struct MacroDef {
  std::string name;
  std::vector<std::string> params;
  std::string body;
};

struct FileModel {
  std::string path;
  std::string source;          // owns the text the tokens point into
  std::vector<Token> tokens;
  std::vector<long> match;     // index of the matching bracket for ( [ { and ) ] }, or -1
  std::vector<FunctionDef> functions;
  std::vector<ClassDef> classes;
  std::vector<FieldDecl> fields;  // class fields and namespace-scope variables
  std::vector<AliasDecl> aliases;
  std::vector<MacroDef> macros;
  std::vector<std::string> problems;  // recoverable oddities: unbalanced brackets, depth limits
};

// Fills functions, classes, fields, aliases and match from model.tokens.
void parse_structure(FileModel& model);

// Lambda expressions found inside [range) at any nesting outside other lambdas.
struct LambdaSpan {
  size_t intro = 0;  // the '['
  Range params;
  Range trailing_return;
  Range body;
  size_t end = 0;    // one past the closing '}'
};
std::vector<LambdaSpan> find_lambdas(const FileModel& model, Range range);

// The text of tokens [range), with single spaces only where two words meet.
std::string join_tokens(const std::vector<Token>& tokens, Range range);

// Skips a balanced <...> starting at `i` (which must be '<'); returns one past
// the closing '>' or `i` when unbalanced before `limit`.
size_t skip_angles(const std::vector<Token>& tokens, size_t i, size_t limit);

bool is_keyword(std::string_view text);

}  // namespace lockspan::cpp
