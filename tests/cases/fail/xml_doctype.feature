Feature: XML with a DOCTYPE, failing twin

  Background:
    Given address "@address"

  Scenario: an internal subset is refused
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "RAW"
    And header "Content-Type" "application/xml"
    And request is "<!DOCTYPE a [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]><a>&x;</a>"
    When the URL is invoked
    Then XPath "/a" is ""

  Scenario: the edited value is checked
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And request is "<!DOCTYPE employee SYSTEM "employee.dtd"><employee><name>John Doe</name></employee>"
    And XPath "/employee/name" in request is "Jane Roe"
    When the URL is invoked
    Then XPath "/employee/name" is "John Doe"

  Scenario: an entity the DTD would define is unknown
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "RAW"
    And header "Content-Type" "application/xml"
    And request is "<!DOCTYPE a SYSTEM "a.dtd"><a>&copy;</a>"
    When the URL is invoked
    Then XPath "/a" exists
