Feature: Shape matching, wrongly
  Every scenario must fail, listing every path that does not fit.

  Background:
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked

  Scenario: wrong types and a wrong literal
    Then JSON response matches "{"meta": {"cid": "#integer", "is_ok": false, "timestamp": "#uuid"}, "data": "#array"}"

  Scenario: an exact match with a key the shape does not name
    Then JSON response matches exactly
      """
      {"meta": "#object"}
      """

  Scenario: a missing key and a key that should not be there
    Then path "/data" matches "{"email": "#string", "name": "#notpresent"}"

  Scenario: an exact path match with an extra key
    Then path "/data" matches exactly "{"employee_no": "#integer"}"

  Scenario: a list whose items do not fit
    Given URL path "/api/employee/list"
    When the URL is invoked
    Then JSON response matches
      """
      {"data": "#[] {\"employee_no\": \"#string\"}"}
      """

  Scenario: a marker that does not exist
    Then path "/data/name" matches "#strnig"

  Scenario: an inline exact shape that leaves a key out
    Then JSON response matches exactly "{"data": "#object"}"
