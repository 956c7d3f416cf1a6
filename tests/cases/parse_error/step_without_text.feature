Feature: A step keyword with no text

  Scenario: Get an employee
    Given address "@address"
    And
    When the URL is invoked
