import HarvestCore
import Testing

@Suite struct ColumnNamesTests {
    @Test(arguments: [
        ("High Temp", "high_temp"),
        ("high_temp", "high_temp"),
        ("priceUSD", "price_usd"),
        ("Product Name (EN)", "product_name_en"),
        ("Café №1", "cafe_1"),
        ("2nd price", "f_2nd_price"),
        ("温度", "field"),
        ("", "field"),
        ("🎉", "field"),
        ("x\"); DROP TABLE t;--", "x_drop_table_t"),
        ("_id", "id"),
    ])
    func snakeCases(field: String, column: String) {
        #expect(ColumnNames.snakeCase(field) == column)
    }

    @Test func collisionsAreResolvedInOrderAndDeterministically() {
        let fields = ["High Temp", "high_temp", "HIGH-TEMP", "温度", "天气", "id"]
        let assigned = ColumnNames.assign(fields, existing: [:])
        #expect(assigned["High Temp"] == "high_temp")
        #expect(assigned["high_temp"] == "high_temp_2")
        #expect(assigned["HIGH-TEMP"] == "high_temp_3")
        #expect(assigned["温度"] == "field")
        #expect(assigned["天气"] == "field_2")
        #expect(assigned["id"] == "id")
        #expect(Set(assigned.values).count == fields.count)
        #expect(ColumnNames.assign(fields, existing: [:]) == assigned)
    }

    @Test func existingColumnsNeverChangeAndNewFieldsAvoidThem() {
        let existing = ["High Temp": "high_temp", "Price": "price"]
        let assigned = ColumnNames.assign(["high temp", "Price", "Seller"], existing: existing)
        #expect(assigned["High Temp"] == "high_temp")
        #expect(assigned["Price"] == "price")
        #expect(assigned["high temp"] == "high_temp_2")
        #expect(assigned["Seller"] == "seller")
    }

    @Test func namesStayWithinTheLimitAndAvoidLineageColumns() {
        let long = String(repeating: "word ", count: 40)
        let assigned = ColumnNames.assign([long, long + "x", "_ingested_at"], existing: [:])
        #expect(assigned.values.allSatisfy { $0.count <= ColumnNames.maximumLength })
        #expect(Set(assigned.values).count == 3)
        #expect(assigned.values.allSatisfy { !$0.hasPrefix("_") })
    }

    @Test func identifiersAreQuoted() {
        #expect(SQLIdentifier.quoted(#"x"); DROP TABLE t;--"#) == #""x""); DROP TABLE t;--""#)
        #expect(SQLIdentifier.quoted("plain") == #""plain""#)
    }
}
