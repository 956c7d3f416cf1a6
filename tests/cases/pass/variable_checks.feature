Feature: Checking stored variables and Python literals
  Values stored from a response keep their JSON type; `variable ... is ...` checks them.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And request is "{"no": 123, "ratio": 0.25, "name": "John Doe", "tags": ["a", "b"], "ok": true, "off": false, "none": [], "emp": {"k": 1}}"
    And path "/id" in request is "['x', 1, None, {'k': True}]" (with literal_eval)
    When the URL is invoked
    Then I store "/json/no" from response under "no"
    And I store "/json/ratio" from response under "ratio"
    And I store "/json/name" from response under "name"
    And I store "/json/tags" from response under "tags"
    And I store "/json/ok" from response under "ok"
    And I store "/json/off" from response under "off"
    And I store "/json/none" from response under "none"
    And I store "/json/emp" from response under "emp"

  Scenario: typed equality
    Then variable "#no" is an integer "123"
    And variable "#ratio" is a float "0.25"
    And variable "#name" is a string "John Doe"
    And variable "#tags" is a list "['a', 'b']"
    And variable "#tags" is a list "["a", "b"]"
    And variable "#ok" is True
    And variable "#off" is False
    And variable "#none" is an empty list

  Scenario: types
    Then variable "#name" is any string
    And variable "#tags" is any list
    And variable "#emp" is any dict
    And variable "#no" is any integer
    And variable "#ratio" is any float
    And variable "#ok" is any Boolean
    And variable "John Doe" is a string "John Doe"

  Scenario: literal_eval, UUIDs
    Then path "/json/id" is "['x', 1, None, {'k': True}]" (with literal_eval)
    And path "/json/no" is "123" (with literal_eval)
    And path "/json/name" is "'John Doe'" (with literal_eval)
    Given I store "1b4e28ba-2fa1-41d2-883f-0016d3cca427" under "request_id"
    Then variable "#request_id" is any UUID4
    Given URL path "/api/employee/get/123"
    And REST method "GET"
    When the URL is invoked
    Then path "/meta/cid" is a uuid
