// Times rendering each layout with its specimen values: medians of many runs after a
// warm-up, as wall-clock time and as the rendering thread's CPU time (the second holds
// still when other work shares the machine). With --examples DIR it also writes each
// layout as a PNG for the docs.
//
//     motcua-layout-bench [--layouts layouts] [--runs 200] [--examples docs/examples]
import Foundation
import MotcuaPrint

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard flag.hasPrefix("--"), let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("usage: motcua-layout-bench [--layouts DIR] [--runs N] [--examples DIR]\n".utf8))
        exit(2)
    }
    options[String(flag.dropFirst(2))] = value
}
let folder = URL(fileURLWithPath: options["layouts"] ?? "layouts")
let runs = max(1, Int(options["runs"] ?? "") ?? 200)

/// Milliseconds of wall-clock and thread CPU time, in that order.
func now() -> (wall: Double, cpu: Double) {
    var wall = timespec()
    var cpu = timespec()
    clock_gettime(CLOCK_MONOTONIC, &wall)
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu)
    return (Double(wall.tv_sec) * 1e3 + Double(wall.tv_nsec) / 1e6, Double(cpu.tv_sec) * 1e3 + Double(cpu.tv_nsec) / 1e6)
}

func medians(_ render: () throws -> Data) rethrows -> (wall: Double, cpu: Double) {
    for _ in 0..<10 { _ = try render() }
    var wall: [Double] = []
    var cpu: [Double] = []
    for _ in 0..<runs {
        let start = now()
        _ = try render()
        let end = now()
        wall.append(end.wall - start.wall)
        cpu.append(end.cpu - start.cpu)
    }
    return (wall.sorted()[runs / 2], cpu.sorted()[runs / 2])
}

print("| layout | page | PDF median (wall / CPU) | PNG median (wall / CPU) |")
print("|---|---|---|---|")
for form in PrintedForm.allCases {
    let layout = try Layout(contentsOf: folder.appendingPathComponent("\(form.rawValue).yaml"), form: form)
    let values = form.specimen
    let pdf = try medians { try layout.pdf(values) }
    let png = try medians { try layout.png(values) }
    let copies = layout.copies.isEmpty ? "" : ", \(layout.copies.count) copies"
    print(String(
        format: "| %@ | %.0f mm%@ | %.1f / %.1f ms | %.1f / %.1f ms |", form.rawValue, layout.page.width, copies,
        pdf.wall, pdf.cpu, png.wall, png.cpu))
    if let examples = options["examples"] {
        try layout.png(values).write(to: URL(fileURLWithPath: examples).appendingPathComponent("\(form.rawValue).png"))
    }
}
