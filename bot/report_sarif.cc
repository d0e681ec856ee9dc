// SARIF 2.1.0, as GitHub code scanning and IDEs read it.
#include "analysis/rules.h"
#include "bot/report.h"

namespace lockspan::bot {

using json = nlohmann::ordered_json;

namespace {

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Notice: return "note";
  }
  return "error";
}

json location(const std::string& path, const Loc& loc, const std::string& text = "") {
  json l = {{"physicalLocation",
             {{"artifactLocation", {{"uri", path}}},
              {"region", {{"startLine", loc.line}, {"startColumn", std::max(1, loc.column)}}}}}};
  if (!text.empty()) l["message"] = {{"text", text}};
  return l;
}

}  // namespace

json analysis_sarif(const AnalysisResult& r, const ReportContext& ctx) {
  json rules = json::array();
  for (const auto& rule : all_rules()) {
    rules.push_back({{"id", rule.id},
                     {"name", rule.id},
                     {"shortDescription", {{"text", std::string("lockspan ") + rule.id}}},
                     {"helpUri", guidance_url(ctx, rule.id)},
                     {"defaultConfiguration", {{"level", sarif_level(rule.default_severity)}}}});
  }
  json results = json::array();
  for (const auto& f : r.findings) {
    json related = json::array();
    related.push_back(location(f.path, f.lock.loc, "lock taken here"));
    for (size_t i = 1; i < f.suspensions.size(); ++i)
      related.push_back(location(f.path, f.suspensions[i].loc, "also held at this " + f.suspensions[i].keyword));
    for (size_t i = 0; i < related.size(); ++i) related[i]["id"] = i + 1;
    results.push_back({{"ruleId", f.rule},
                       {"level", sarif_level(f.severity)},
                       {"message", {{"text", f.message + " " + f.why + " Fix: " + f.fix}}},
                       {"locations", json::array({location(f.path, f.loc)})},
                       {"relatedLocations", related},
                       {"partialFingerprints", {{"lockspan/v1", f.fingerprint}}}});
  }
  json notifications = json::array();
  for (const auto& file : r.files) {
    if (file.status == FileStatus::Analyzed) continue;
    notifications.push_back({{"level", file.status == FileStatus::Error ? "error" : "warning"},
                             {"message", {{"text", std::string(to_string(file.status)) + ": " + file.detail}}},
                             {"locations", json::array({{{"physicalLocation", {{"artifactLocation", {{"uri", file.path}}}}}}})}});
  }
  json run = {{"tool",
               {{"driver",
                 {{"name", "lockspan"},
                  {"version", LOCKSPAN_VERSION},
                  {"informationUri", ctx.guidance_base},
                  {"rules", rules}}}}},
              {"results", results},
              {"invocations", json::array({{{"executionSuccessful", true},
                                            {"toolExecutionNotifications", notifications}}})}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({run})}};
}

}  // namespace lockspan::bot
