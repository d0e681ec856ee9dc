// Composes the review from findings: anchoring, the inline cap, the body.
#include <algorithm>
#include <map>

#include "bot/review.h"

namespace lockspan::bot {
namespace {

constexpr std::string_view kMarker = "<!-- lockspan:fingerprint=";

int severity_rank(Severity s) { return s == Severity::Error ? 0 : s == Severity::Warning ? 1 : 2; }

bool touched(const Finding& f, const git::ChangedFile& file) {
  if (file.added_lines.count(f.loc.line) || file.added_lines.count(f.lock.loc.line)) return true;
  return std::any_of(f.suspensions.begin(), f.suspensions.end(),
                     [&](const Suspension& s) { return file.added_lines.count(s.loc.line) > 0; });
}

std::string comment_body(const Finding& f, const ReportContext& ctx, const std::string& anchor_note) {
  std::string b = "**lockspan** · `" + f.rule + "` (" + to_string(f.severity) + ")\n\n";
  b += f.message + "\n\n";
  if (!anchor_note.empty()) b += anchor_note + "\n\n";
  b += "**Why it matters:** " + f.why + "\n\n";
  b += "**Fix:** " + f.fix + "\n\n";
  b += "[How to fix `" + f.rule + "`](" + guidance_url(ctx, f.rule) + ")\n";
  b += fingerprint_marker(f.fingerprint);
  return b;
}

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string compose_body(const Review& r, const ReportContext& ctx) {
  std::string b = "## lockspan\n\n";
  if (r.findings.empty()) {
    b += "No lock is held across a suspension point in the " + plural(r.files_analyzed, "C/C++ file") +
         " this change touches.\n";
  } else {
    std::map<std::string, int> per_rule;
    for (const auto& f : r.findings) ++per_rule[f.rule];
    b += "Found " + plural(r.findings.size(), "lock") + " that may be held across a suspension point:\n\n";
    b += "| rule | findings |\n|---|---|\n";
    for (const auto& [rule, n] : per_rule)
      b += "| [`" + rule + "`](" + guidance_url(ctx, rule) + ") | " + std::to_string(n) + " |\n";
  }
  if (!r.file_comments.empty())
    b += "\n" + plural(r.file_comments.size(), "finding") +
         " touch the change only outside the diff's hunks; they are posted as file comments.\n";
  if (!r.overflow.empty()) {
    b += "\n### More findings\n\nBeyond the limit of inline comments, by severity:\n\n";
    for (size_t i : r.overflow) {
      const Finding& f = r.findings[i];
      b += "- `" + f.path + ":" + std::to_string(f.loc.line) + "` `" + f.rule + "`: " + f.message + "\n";
    }
  }
  if (!r.notes.empty()) {
    b += "\n### Files not fully analyzed\n\n";
    for (const auto& n : r.notes) b += "- `" + n.path + "`: " + n.status + ", " + n.detail + "\n";
  }
  b += "\n<sub>" + std::to_string(r.files_analyzed) + " of " + plural(r.files_changed, "changed C/C++ file") +
       " analyzed at " + r.head_sha.substr(0, 12) + ".</sub>\n";
  return b;
}

}  // namespace

std::string fingerprint_marker(const std::string& fingerprint) {
  return std::string(kMarker) + fingerprint + " -->";
}

std::vector<std::string> fingerprints_in(const std::string& body) {
  std::vector<std::string> out;
  for (size_t pos = body.find(kMarker); pos != std::string::npos; pos = body.find(kMarker, pos + 1)) {
    size_t start = pos + kMarker.size();
    size_t end = body.find(" -->", start);
    if (end != std::string::npos) out.push_back(body.substr(start, end - start));
  }
  return out;
}

Review compose_review(const git::Change& change, AnalysisResult analysis, std::vector<FileNote> notes,
                      int files_changed, int max_inline_comments, const ReportContext& ctx) {
  Review r;
  r.base_sha = change.base_sha;
  r.head_sha = change.head_sha;
  r.merge_base_sha = change.merge_base_sha;
  r.notes = std::move(notes);
  r.files_changed = files_changed;
  std::map<std::string, const git::ChangedFile*> by_path;
  for (const auto& f : change.files) by_path[f.path] = &f;
  for (const auto& file : analysis.files) {
    if (file.status == FileStatus::Analyzed || file.status == FileStatus::Degraded) ++r.files_analyzed;
    if (file.status != FileStatus::Analyzed)
      r.notes.push_back({file.path, to_string(file.status), file.detail});
  }
  for (auto& f : analysis.findings) {
    auto it = by_path.find(f.path);
    if (it != by_path.end() && touched(f, *it->second)) r.findings.push_back(std::move(f));
  }
  std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    return severity_rank(a.severity) < severity_rank(b.severity);
  });
  int inline_left = std::max(0, max_inline_comments);
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    if (inline_left == 0) {
      r.overflow.push_back(i);
      continue;
    }
    --inline_left;
    const git::ChangedFile& file = *by_path.at(f.path);
    ReviewComment c;
    c.path = f.path;
    c.fingerprint = f.fingerprint;
    c.finding = i;
    if (file.line_in_hunk(f.loc.line)) {
      c.line = f.loc.line;
      c.body = comment_body(f, ctx, "");
      r.comments.push_back(std::move(c));
    } else if (file.line_in_hunk(f.lock.loc.line)) {
      c.line = f.lock.loc.line;
      c.body = comment_body(f, ctx, "The lock is taken here; the " + f.suspensions.front().keyword +
                                        " at line " + std::to_string(f.loc.line) + " is outside this diff.");
      r.comments.push_back(std::move(c));
    } else {
      c.body = comment_body(f, ctx, "Line " + std::to_string(f.loc.line) + " is outside the diff's hunks.");
      r.file_comments.push_back(std::move(c));
    }
  }
  std::sort(r.comments.begin(), r.comments.end(), [](const ReviewComment& a, const ReviewComment& b) {
    return a.path != b.path ? a.path < b.path : a.line < b.line;
  });
  r.body = compose_body(r, ctx);
  r.summary = r.findings.empty()
                  ? "No lock held across a suspension in " + plural(r.files_analyzed, "changed file")
                  : plural(r.findings.size(), "finding") + " in " + plural(r.files_analyzed, "changed file");
  return r;
}

}  // namespace lockspan::bot
