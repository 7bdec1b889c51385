import Testing
@testable import MotcuaPrint

@Suite struct PrintServerTests {
    @Test func addressesParseAsCupsWritesThem() {
        #expect(PrintServer("127.0.0.1:43463") == PrintServer(host: "127.0.0.1", port: 43463))
        #expect(PrintServer("printhost") == PrintServer(host: "printhost", port: 631))
        #expect(PrintServer("/run/cups/cups.sock")?.isLocalSocket == true)
        #expect(PrintServer("/run/cups/cups.sock")?.description == "/run/cups/cups.sock")
        #expect(PrintServer("127.0.0.1:0") == nil)
        #expect(PrintServer("127.0.0.1:ipp") == nil)
        #expect(PrintServer("") == nil)
    }
}
