Feature: Housekeeping, failing twin
  The same housekeeping as pass/housekeeping.feature, followed by checks that expect what
  was cleaned up, and misspelled or malformed steps. Every scenario must fail.

  Scenario: A misspelled step is reported with the closest phrases
    Given I store "HR" under "department"
    When this step is invoked
    And this scenario is invoked
    Then I proceed further
    And this step is invokd

  Scenario: A step in the wrong letter case is reported with the closest phrases
    Given I store "HR" under "department"
    Then i proceed further

  Scenario: A sleep that is not a number of seconds is refused
    Given I sleep for "a moment"

  Scenario: A negative sleep is refused
    Given I sleep for "-1"

  Scenario: Context is logged, and the check after it still fails
    Given address "@address"
    And I store "123" under "employee"
    And URL path "/api/employee/get/#{employee}"
    When the URL is invoked
    Then context is logged
    And status is "404"

  Scenario: After the context is cleaned up there is no response
    Given address "@address"
    And URL path "/api/status/200"
    When the URL is invoked
    Then status is "200"
    And context is cleaned up
    And status is "200"

  Scenario: After the context is cleaned up there are no stored values
    Given I store "HR" under "department"
    And context is cleaned up
    And I store "#department" under "team"

  Scenario: After the context is cleaned up there is no address
    Given address "@address"
    And URL path "/api/status/200"
    And context is cleaned up
    And URL path "/api/status/200"
    When the URL is invoked

  Scenario: After the form is cleaned up the earlier fields are gone
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And form field "name" is "Jane Roe"
    And form is cleaned up
    And form field "department" is "Payroll"
    When the URL is invoked
    Then path "/form/name" is "Jane Roe"
