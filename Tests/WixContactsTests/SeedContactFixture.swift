/// The example contact of the seed's Update Contact reference ("Promise resolves to"), converted
/// from the SDK shape to the REST shape: `_id` → `id`, `_createdDate` → `createdDate`,
/// `_updatedDate` → `updatedDate`, `addressLine1` → `addressLine`, item `_id` → `id`.
enum SeedContactFixture {
    static let restJSON = #"""
        {
          "revision": 17,
          "source": {
            "sourceType": "WIX_CODE",
            "appId": "151e476a-715e-ec33-db9a-a7ff4d51f70a"
          },
          "lastActivity": {
            "activityDate": "2023-12-24T11:50:46.048Z",
            "activityType": "CONTACT_CREATED"
          },
          "primaryInfo": {
            "email": "johndoe1@example.com",
            "phone": "646-567-6359"
          },
          "info": {
            "name": {
              "first": "John",
              "last": "Doe"
            },
            "emails": {
              "items": [
                {
                  "tag": "UNTAGGED",
                  "email": "johndoe1@example.com",
                  "primary": true,
                  "id": "37db3bde-83c0-4ca2-8097-88964a2f343b"
                },
                {
                  "tag": "UNTAGGED",
                  "email": "john.doe.at.home@example.com",
                  "primary": false,
                  "id": "06eef938-13d2-49f3-8097-60686ab4ddd2"
                }
              ]
            },
            "phones": {
              "items": [
                {
                  "tag": "MOBILE",
                  "countryCode": "US",
                  "phone": "646-567-6359",
                  "e164Phone": "+16465676359",
                  "primary": true,
                  "id": "01e597c0-76c6-4791-bb77-8b3309f893d1"
                },
                {
                  "tag": "HOME",
                  "countryCode": "US",
                  "phone": "2421642341",
                  "primary": false,
                  "id": "cbbae95c-e1d5-48c4-a3ec-531ee2bf51fb"
                }
              ]
            },
            "addresses": {
              "items": [
                {
                  "tag": "HOME",
                  "address": {
                    "formatted": "3 Park Ave\nNY, New York 10010\nUnited States",
                    "addressLine": "3 Park Ave",
                    "city": "NY",
                    "subdivision": "US-NY",
                    "country": "US",
                    "postalCode": "10010"
                  },
                  "id": "eeb4e174-fd0f-4ce8-8cac-dc152f284228"
                }
              ]
            },
            "company": "Wix",
            "jobTitle": "Writer",
            "birthdate": "1995-04-25",
            "locale": "en-us",
            "labelKeys": {
              "items": [
                "custom.contact"
              ]
            },
            "extendedFields": {
              "items": {
                "contacts.displayByLastName": "Doe John",
                "invoices.vatId": "",
                "emailSubscriptions.deliverabilityStatus": "NOT_SET",
                "emailSubscriptions.subscriptionStatus": "UNSUBSCRIBED",
                "contacts.displayByFirstName": "John Doe",
                "custom.nickname": "Jonny"
              }
            }
          },
          "id": "2712ae1d-3f64-46c2-ac3a-94a6c2e29847",
          "createdDate": "2023-12-24T11:50:46.049Z",
          "updatedDate": "2023-12-25T07:31:48.270Z"
        }
        """#
}
