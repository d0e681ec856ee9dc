// Renders analysis results for people and tools: text, JSON (the interface
// contract's shape) and SARIF 2.1.0.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "analysis/analyzer.h"

namespace lockspan::bot {

struct ReportContext {
  std::string guidance_base;  // "https://host" -> links to https://host/guidance/<rule>
};

// LOCKSPAN_PUBLIC_URL, else http://<LOCKSPAN_LISTEN or 127.0.0.1:8080>.
ReportContext report_context_from_env();
std::string guidance_url(const ReportContext& ctx, const std::string& rule);

nlohmann::ordered_json finding_json(const Finding& f, const ReportContext& ctx);
nlohmann::ordered_json files_json(const std::vector<FileResult>& files);
nlohmann::ordered_json analysis_json(const AnalysisResult& r, const ReportContext& ctx);
nlohmann::ordered_json analysis_sarif(const AnalysisResult& r, const ReportContext& ctx);
std::string analysis_text(const AnalysisResult& r, const ReportContext& ctx);

// JSON text that never throws on invalid UTF-8 in source-derived strings.
std::string dump_json(const nlohmann::ordered_json& j);

}  // namespace lockspan::bot
