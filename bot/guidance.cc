#include "bot/guidance.h"

#include <map>
#include <sstream>

namespace lockspan::bot {

// Generated from docs/guidance/*.md by CMake (bot/embed_guidance.cmake).
const std::map<std::string, std::string>& embedded_guidance();

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// `code`, **bold**, [text](url); everything else escaped.
std::string inline_html(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '`') {
      size_t e = s.find('`', i + 1);
      if (e != std::string::npos) {
        out += "<code>" + escape(s.substr(i + 1, e - i - 1)) + "</code>";
        i = e + 1;
        continue;
      }
    }
    if (s.compare(i, 2, "**") == 0) {
      size_t e = s.find("**", i + 2);
      if (e != std::string::npos) {
        out += "<strong>" + inline_html(s.substr(i + 2, e - i - 2)) + "</strong>";
        i = e + 2;
        continue;
      }
    }
    if (s[i] == '[') {
      size_t close = s.find("](", i);
      size_t end = close == std::string::npos ? close : s.find(')', close);
      if (end != std::string::npos) {
        std::string url = s.substr(close + 2, end - close - 2);
        if (url.ends_with(".md")) url = url.substr(0, url.size() - 3);  // sibling guidance pages
        out += "<a href=\"" + escape(url) + "\">" + inline_html(s.substr(i + 1, close - i - 1)) + "</a>";
        i = end + 1;
        continue;
      }
    }
    out += escape(std::string(1, s[i]));
    ++i;
  }
  return out;
}

}  // namespace

std::vector<std::string> guidance_rules() {
  std::vector<std::string> out;
  for (const auto& [rule, text] : embedded_guidance()) out.push_back(rule);
  return out;
}

std::optional<std::string> guidance_markdown(const std::string& rule) {
  auto it = embedded_guidance().find(rule);
  if (it == embedded_guidance().end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> guidance_html(const std::string& rule) {
  auto md = guidance_markdown(rule);
  if (!md) return std::nullopt;
  return markdown_to_html(*md, rule);
}

std::string markdown_to_html(const std::string& markdown, const std::string& title) {
  std::string body;
  std::istringstream in(markdown);
  std::string line, para;
  bool code = false, list = false;
  auto flush = [&]() {
    if (!para.empty()) body += "<p>" + inline_html(para) + "</p>\n";
    para.clear();
    if (list) body += "</ul>\n";
    list = false;
  };
  while (std::getline(in, line)) {
    if (line.starts_with("```")) {
      if (!code) flush();
      body += code ? "</code></pre>\n" : "<pre><code>";
      code = !code;
      continue;
    }
    if (code) {
      body += escape(line) + "\n";
      continue;
    }
    size_t level = line.find_first_not_of('#');
    if (level > 0 && level <= 6 && level < line.size() && line[level] == ' ') {
      flush();
      std::string h = std::to_string(level);
      body += "<h" + h + ">" + inline_html(line.substr(level + 1)) + "</h" + h + ">\n";
    } else if (line.starts_with("- ") || line.starts_with("* ")) {
      if (!para.empty()) flush();
      if (!list) body += "<ul>\n";
      list = true;
      body += "<li>" + inline_html(line.substr(2)) + "</li>\n";
    } else if (line.find_first_not_of(" \t") == std::string::npos) {
      flush();
    } else if (list && (line.starts_with("  "))) {
      body.insert(body.size() - 6, " " + inline_html(line.substr(2)));
    } else {
      if (list) flush();
      para += (para.empty() ? "" : " ") + line;
    }
  }
  if (code) body += "</code></pre>\n";
  flush();
  return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>lockspan: " + escape(title) +
         "</title>\n<style>body{max-width:46em;margin:2em auto;font:16px/1.5 sans-serif;padding:0 1em}"
         "pre{background:#f4f4f4;padding:.8em;overflow:auto}code{font-size:90%}</style></head>\n<body>\n" +
         body + "</body></html>\n";
}

}  // namespace lockspan::bot
