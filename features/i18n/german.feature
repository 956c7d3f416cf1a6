# language: de
Funktionalität: Die Mitarbeiter-API, auf Deutsch geschrieben
  Die Schlüsselwörter sind die der Sprache der Datei; die Schrittsätze bleiben englisch.

  Grundlage:
    Angenommen address "@address"

  Szenario: Einen Mitarbeiter lesen
    Gegeben sei URL path "/api/employee/get/123"
    Und REST method "GET"
    Wenn the URL is invoked
    Dann status is "200"
    Und path "/meta/is_ok" is True
    Aber path "/data/name" is not a string "Jane Roe"

  Szenariogrundriss: Mitarbeiter <nummer> lesen
    Angenommen URL path "/api/employee/get/<nummer>"
    Wenn the URL is invoked
    Dann status is "200"
    Und path "/data/department" is "<abteilung>"

    Beispiele:
      | nummer | abteilung |
      | 123    | HR        |
