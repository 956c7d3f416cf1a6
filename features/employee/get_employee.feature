Feature: Employee API
  The Employee API of the REST tutorial this vocabulary comes from, checked as written there
  (only the address is taken from the config, so the same feature runs against any host).

  Scenario: *** Get Employee API ***
    Given address "@address"
    Given URL path "/api/employee/get/123"
    Given REST method "GET"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And path "/meta/cid" is not empty
    And path "/meta/timestamp" is not empty
    And path "/data/name" is "John Doe"
    And path "/data/department" is "HR"
