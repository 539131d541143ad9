import ContactsMCP
import JSONCore
import Testing

@Suite struct SchemaResolverTests {
    @Test func nestedReferencesAreInlined() {
        let resolver = SchemaResolver(components: [
            "Contact": ["type": "object", "properties": ["info": ["$ref": "#/components/schemas/Info"]]],
            "Info": ["type": "object", "properties": ["company": ["type": "string"]]],
        ])
        let resolved = resolver.resolve([
            "type": "object",
            "properties": ["items": ["type": "array", "items": ["$ref": "#/components/schemas/Contact"]]],
        ])
        #expect(
            resolved["properties"]?["items"]?["items"]?["properties"]?["info"]?["properties"]?["company"]
                == ["type": "string"])
        #expect(!SchemaResolver.containsReference(resolved))
    }

    @Test func membersBesideAReferenceAreKept() {
        let resolver = SchemaResolver(components: ["Info": ["type": "object", "description": "Info."]])
        let resolved = resolver.resolve(["$ref": "#/components/schemas/Info", "description": "The new info."])
        #expect(resolved == ["type": "object", "description": "The new info."])
    }

    @Test func aCycleOrAnUnknownNameIsLeftAsAReference() {
        let resolver = SchemaResolver(components: [
            "Node": ["type": "object", "properties": ["next": ["$ref": "#/components/schemas/Node"]]]
        ])
        let resolved = resolver.resolve(["$ref": "#/components/schemas/Node"])
        #expect(resolved["properties"]?["next"] == ["$ref": "#/components/schemas/Node"])
        #expect(resolver.resolve(["$ref": "#/components/schemas/Missing"]) == ["$ref": "#/components/schemas/Missing"])
    }
}
