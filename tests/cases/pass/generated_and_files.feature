Feature: Generated values, Base64 and data files
  Random values have the shapes Zato's apitest gives them; data files live under
  features/<format>/response/.

  Background:
    Given address "@address"

  Scenario: random values in the request
    Given URL path "/api/echo"
    And REST method "POST"
    And request is "{}"
    And path "/name" in request is a random string
    And path "/floor" in request is a random integer
    And path "/score" in request is a random float
    And path "/id" in request is a UUID4
    When the URL is invoked
    Then path "/json/name" starts with "a"
    And path "/json/floor" is an integer
    And path "/json/score" is a number
    And path "/json/id" is a uuid

  Scenario: random values and Base64 stored
    Given I store a random string under "name"
    And I store a random integer under "floor"
    And I store a random float under "score"
    And I encode "hr:hr-secret-pw" using Base64 under "credentials"
    Then variable "#name" is any string
    And variable "#floor" is any integer
    And variable "#score" is any float
    And variable "#credentials" is a string "aHI6aHItc2VjcmV0LXB3"
    Given URL path "/api/secure/employee/get/123"
    And header "Authorization" "Basic #{credentials}"
    When the URL is invoked
    Then status is "200"

  Scenario: comparing with data files
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data" is JSON equal to that from "employee_123.json"
    Given URL path "/api/employee/list"
    When the URL is invoked
    Then path "/data" contains data from "employee_123.json"
    Given URL path "/api/text"
    And response format "RAW"
    When the URL is invoked
    Then response is equal to that from "hello.txt"

  Scenario: Crockford Base32
    Given URL path "/api/echo"
    And REST method "POST"
    And request is "{"code": "16J", "checked": "16JD", "dashed": "1-6-j"}"
    When the URL is invoked
    Then path "/json/code" is a BASE32 Crockford, checksum "false"
    And path "/json/checked" is a BASE32 Crockford, checksum "true"
    And path "/json/dashed" is a BASE32 Crockford, checksum "false"
