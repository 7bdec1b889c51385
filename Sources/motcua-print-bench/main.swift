// Printing figures for `make bench` (scripts/bench.py reads the JSON lines it prints):
// QR encode of a ticket pass, each layout rendered to PDF, and, given a CUPS queue, the
// time to hand a ticket to cupsd. Medians of many runs after a warm-up, as wall-clock
// time and as the thread's CPU time (the second holds still when other work shares the
// machine). With --examples DIR it also writes each layout as a PNG for the docs.
//
//     motcua-print-bench [--layouts layouts] [--runs 200] [--examples docs/examples]
//                        [--printer QUEUE --server HOST:PORT]
import Foundation
import MotcuaCore
import MotcuaPrint

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard flag.hasPrefix("--"), let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("usage: motcua-print-bench [--layouts DIR] [--runs N] [--examples DIR] [--printer Q --server S]\n".utf8))
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

func medians(_ work: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    for _ in 0..<10 { try work() }
    var wall: [Double] = []
    var cpu: [Double] = []
    for _ in 0..<runs {
        let start = now()
        try work()
        let end = now()
        wall.append(end.wall - start.wall)
        cpu.append(end.cpu - start.cpu)
    }
    return (wall.sorted()[runs / 2], cpu.sorted()[runs / 2])
}

func report(_ name: String, _ value: Double, _ unit: String) {
    print(#"{"name": "\#(name)", "value": \#(value), "unit": "\#(unit)"}"#)
}

// A real ticket pass of a site with a ten-letter id, ticket 123,456: the QR code every
// ticket carries, at the level the ticket layout prints it.
let pass = try TicketPassKey(derivedFrom: PassKeys.generate()).text(of: TicketPass(site: "hn-dong-da", ticketId: 123_456))
let qr = try medians { _ = try QRCode(pass, correction: .quartile) }
report("qr_encode_ticket_us", qr.wall * 1000, "µs")

for form in PrintedForm.allCases {
    let layout = try Layout(contentsOf: folder.appendingPathComponent("\(form.rawValue).yaml"), form: form)
    let values = form.specimen
    let pdf = try medians { _ = try layout.pdf(values) }
    report("\(form.rawValue)_pdf_median_ms", pdf.wall, "ms")
    report("\(form.rawValue)_pdf_cpu_median_ms", pdf.cpu, "ms")
    if let examples = options["examples"] {
        try layout.png(values).write(to: URL(fileURLWithPath: examples).appendingPathComponent("\(form.rawValue).png"))
    }
}

if let queue = options["printer"], let server = options["server"].flatMap(PrintServer.init) {
    let ticket = try Layout(contentsOf: folder.appendingPathComponent("ticket.yaml"), form: .ticket).pdf(PrintedForm.ticket.specimen)
    let client = CupsClient(server: server)
    var handoffs: [Double] = []
    for _ in 0..<50 {
        let start = now()
        _ = try await client.submit(ticket, to: queue, title: "bench")
        handoffs.append(now().wall - start.wall)
    }
    report("cups_handoff_median_ms", handoffs.sorted()[handoffs.count / 2], "ms")
}
