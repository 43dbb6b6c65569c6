import Foundation

/// The table the bench prints: each figure, its value, the ratio it is judged by, the target and the verdict.
struct Report: Sendable {
    struct Row: Sendable {
        var figure: String
        var value: String
        var ratio: String
        var target: String
        var verdict: String
    }

    private(set) var rows: [Row] = []
    private(set) var notes: [String] = []

    /// A row judged by `ratio` against `target` (`atMost` true: the ratio must stay at or below it).
    mutating func judged(_ figure: String, value: String, ratio: Double, target: Double, atMost: Bool, ratioText: String? = nil) {
        let pass = atMost ? ratio <= target : ratio >= target
        self.rows.append(Row(
            figure: figure,
            value: value,
            ratio: ratioText ?? Self.ratio(ratio),
            target: (atMost ? "≤ " : "≥ ") + Self.ratio(target),
            verdict: pass ? "PASS" : "MISS"
        ))
    }

    /// A row with a figure only (no target).
    mutating func info(_ figure: String, value: String, ratio: String = "", target: String = "-") {
        self.rows.append(Row(figure: figure, value: value, ratio: ratio, target: target, verdict: target == "-" ? "info" : ""))
    }

    mutating func note(_ text: String) {
        self.notes.append(text)
    }

    var missed: Int { self.rows.filter { $0.verdict == "MISS" }.count }
    var passed: Int { self.rows.filter { $0.verdict == "PASS" }.count }

    func render() -> String {
        let header = Row(figure: "figure", value: "value", ratio: "ratio", target: "target", verdict: "")
        let all = [header] + self.rows
        let figureWidth: Int = all.map { $0.figure.count }.max() ?? 0
        let valueWidth: Int = all.map { $0.value.count }.max() ?? 0
        let ratioWidth: Int = all.map { $0.ratio.count }.max() ?? 0
        let targetWidth: Int = all.map { $0.target.count }.max() ?? 0
        let widths: [Int] = [figureWidth, valueWidth, ratioWidth, targetWidth]
        func line(_ row: Row) -> String {
            [Self.pad(row.figure, widths[0]), Self.pad(row.value, widths[1]), Self.pad(row.ratio, widths[2]), Self.pad(row.target, widths[3]), row.verdict]
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = [line(header), String(repeating: "-", count: widths.reduce(8, +) + 8)]
        out += self.rows.map(line)
        out.append("")
        out.append("targets: \(self.passed) passed, \(self.missed) missed")
        if !self.notes.isEmpty {
            out.append("")
            out += self.notes.map { "- " + $0 }
        }
        return out.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func ratio(_ value: Double) -> String {
        String(format: "%.2f×", value)
    }

    static func number(_ value: Double, _ digits: Int = 1) -> String {
        String(format: "%.\(digits)f", value)
    }
}
