import JSONCore

/// JSON Schemas of the contact and audit shapes, for the OpenRPC document's components.
enum OpenRPCSchemas {
    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let boolean: JSONValue = ["type": "boolean"]

    static func object(_ properties: JSONObject) -> JSONValue {
        ["type": "object", "properties": .object(properties)]
    }

    static func items(_ item: JSONValue) -> JSONValue {
        object(["items": ["type": "array", "maxItems": 50, "items": item]])
    }

    static let contactInfo: JSONValue = object([
        "name": object(["first": string, "last": string]),
        "emails": items(
            object([
                "id": string, "tag": ["type": "string", "enum": ["UNTAGGED", "MAIN", "HOME", "WORK"]], "email": string,
                "primary": boolean,
            ])),
        "phones": items(
            object([
                "id": string,
                "tag": ["type": "string", "enum": ["UNTAGGED", "MAIN", "HOME", "MOBILE", "WORK", "FAX"]],
                "countryCode": string, "phone": string, "e164Phone": string, "primary": boolean,
            ])),
        "addresses": items(
            object([
                "id": string, "tag": ["type": "string", "enum": ["UNTAGGED", "HOME", "WORK", "BILLING", "SHIPPING"]],
                "address": object([
                    "streetAddress": object(["number": string, "name": string]), "addressLine": string, "addressLine1": string,
                    "addressLine2": string, "city": string, "subdivision": string, "country": string,
                    "postalCode": string, "formatted": string,
                ]),
            ])),
        "company": string, "jobTitle": string,
        "birthdate": ["type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"],
        "locale": string,
        "labelKeys": items(string),
        "extendedFields": object(["items": ["type": "object"]]),
        "picture": object([
            "image": object([
                "id": string, "url": string, "height": integer, "width": integer, "altText": string,
                "urlExpirationDate": string,
            ])
        ]),
    ])

    static let contact: JSONValue = object([
        "id": string, "revision": integer,
        "source": object(["sourceType": string, "appId": string]),
        "createdDate": string, "updatedDate": string,
        "lastActivity": object(["activityDate": string, "activityType": string]),
        "primaryInfo": object(["email": string, "phone": string]),
        "info": ["$ref": "#/components/schemas/ContactInfo"],
        "primaryEmail": object(["email": string, "subscriptionStatus": string, "deliverabilityStatus": string]),
        "primaryPhone": object([
            "countryCode": string, "e164Phone": string, "formattedPhone": string, "subscriptionStatus": string,
            "phone": string,
        ]),
    ])

    static let auditEntry: JSONValue = object([
        "auditId": integer, "contactId": string,
        "operation": ["type": "string", "enum": ["create", "update", "forceUpdate", "undo"]],
        "revisionBefore": ["type": ["integer", "null"]], "revisionAfter": integer,
        "before": ["oneOf": [["$ref": "#/components/schemas/Contact"], ["type": "null"]]],
        "after": ["$ref": "#/components/schemas/Contact"],
        "changedFields": ["type": "array", "items": string],
        "timestamp": string, "actor": string, "requestId": string, "undoOf": integer, "undoneBy": integer,
    ])

    static var all: JSONValue {
        ["Contact": contact, "ContactInfo": contactInfo, "AuditEntry": auditEntry]
    }
}
