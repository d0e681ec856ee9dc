#include <cstdlib>

#include "analysis/rules.h"
#include "bot/report.h"

namespace lockspan::bot {

using json = nlohmann::ordered_json;

ReportContext report_context_from_env() {
  ReportContext ctx;
  if (const char* url = std::getenv("LOCKSPAN_PUBLIC_URL"); url && *url) {
    ctx.guidance_base = url;
  } else {
    const char* listen = std::getenv("LOCKSPAN_LISTEN");
    ctx.guidance_base = std::string("http://") + (listen && *listen ? listen : "127.0.0.1:8080");
  }
  while (!ctx.guidance_base.empty() && ctx.guidance_base.back() == '/') ctx.guidance_base.pop_back();
  return ctx;
}

std::string guidance_url(const ReportContext& ctx, const std::string& rule) {
  return ctx.guidance_base + "/guidance/" + rule;
}

json finding_json(const Finding& f, const ReportContext& ctx) {
  json lock = {{"how", to_string(f.lock.how)},
               {"type", f.lock.type},
               {"mutex", f.lock.mutex},
               {"line", f.lock.loc.line},
               {"column", f.lock.loc.column}};
  if (!f.lock.variable.empty()) lock["variable"] = f.lock.variable;
  if (f.lock.how == AcquireHow::Helper && f.lock.helper)
    lock["helper"] = {{"name", f.lock.helper->name}, {"path", f.lock.helper->path}, {"line", f.lock.helper->line}};
  json suspensions = json::array();
  for (const auto& s : f.suspensions)
    suspensions.push_back({{"line", s.loc.line}, {"column", s.loc.column}, {"keyword", s.keyword}});
  return {{"rule", f.rule},
          {"severity", to_string(f.severity)},
          {"path", f.path},
          {"line", f.loc.line},
          {"column", f.loc.column},
          {"function", f.function},
          {"message", f.message},
          {"why", f.why},
          {"fix", f.fix},
          {"lock", lock},
          {"suspensions", suspensions},
          {"guidance", guidance_url(ctx, f.rule)},
          {"fingerprint", f.fingerprint}};
}

json files_json(const std::vector<FileResult>& files) {
  json out = json::array();
  for (const auto& f : files) {
    json j = {{"path", f.path}, {"status", to_string(f.status)}};
    if (!f.detail.empty()) j["detail"] = f.detail;
    out.push_back(j);
  }
  return out;
}

json analysis_json(const AnalysisResult& r, const ReportContext& ctx) {
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(finding_json(f, ctx));
  return {{"version", 1},
          {"tool", {{"name", "lockspan"}, {"version", LOCKSPAN_VERSION}}},
          {"findings", findings},
          {"files", files_json(r.files)}};
}

std::string dump_json(const json& j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace lockspan::bot
