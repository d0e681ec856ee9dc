// The guidance pages each comment links to, built into the binary from
// docs/guidance/*.md and served as HTML.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lockspan::bot {

std::vector<std::string> guidance_rules();
std::optional<std::string> guidance_markdown(const std::string& rule);
std::optional<std::string> guidance_html(const std::string& rule);
// A small Markdown-to-HTML renderer: headings, fenced code, lists, paragraphs,
// inline code, emphasis and links. Everything else is escaped text.
std::string markdown_to_html(const std::string& markdown, const std::string& title);

}  // namespace lockspan::bot
