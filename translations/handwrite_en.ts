<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ArchitectureDialog</name>
    <message numerus="yes">
        <source>✓ {0}: %n layer(s), {1:,} weights and biases.</source>
        <translation>
            <numerusform>✓ {0}: %n layer, {1:,} weights and biases.</numerusform>
            <numerusform>✓ {0}: %n layers, {1:,} weights and biases.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DoctorPanel</name>
    <message numerus="yes">
        <source>The doctor watches this run and found %n problem(s):</source>
        <translation>
            <numerusform>The doctor watches this run and found %n problem:</numerusform>
            <numerusform>The doctor watches this run and found %n problems:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>In the latest run the doctor found %n problem(s):</source>
        <translation>
            <numerusform>In the latest run the doctor found %n problem:</numerusform>
            <numerusform>In the latest run the doctor found %n problems:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExperimentsPanel</name>
    <message numerus="yes">
        <source>Run it to train its %n networks one after the other on a part of MNIST and read the conclusion here.</source>
        <translation>
            <numerusform>Run it to train its %n network on a part of MNIST and read the conclusion here.</numerusform>
            <numerusform>Run it to train its %n networks one after the other on a part of MNIST and read the conclusion here.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NetworkEditor</name>
    <message numerus="yes">
        <source>{0}: %n layer(s), {1:,} weights and biases.</source>
        <translation>
            <numerusform>{0}: %n layer, {1:,} weights and biases.</numerusform>
            <numerusform>{0}: %n layers, {1:,} weights and biases.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PersonalPanel</name>
    <message numerus="yes">
        <source>Fine-tuning for %n epochs… The live curves are on the Training tab, where it can also be stopped.</source>
        <translation>
            <numerusform>Fine-tuning for %n epoch… The live curves are on the Training tab, where it can also be stopped.</numerusform>
            <numerusform>Fine-tuning for %n epochs… The live curves are on the Training tab, where it can also be stopped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Fine-tuning done (%n epochs).</source>
        <translation>
            <numerusform>Fine-tuning done (%n epoch).</numerusform>
            <numerusform>Fine-tuning done (%n epochs).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added as not a digit. You have %n samples now ({0} of them not digits).</source>
        <translation>
            <numerusform>Added as not a digit. You have %n sample now.</numerusform>
            <numerusform>Added as not a digit. You have %n samples now ({0} of them not digits).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added as a {0}. You have %n samples now ({1} of them {0}s).</source>
        <translation>
            <numerusform>Added as a {0}. You have %n sample now.</numerusform>
            <numerusform>Added as a {0}. You have %n samples now ({1} of them {0}s).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n sample(s).</source>
        <translation>
            <numerusform>Deleted %n sample.</numerusform>
            <numerusform>Deleted %n samples.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>It misreads: {0} and %n more</source>
        <translation>
            <numerusform>It misreads: {0} and %n more</numerusform>
            <numerusform>It misreads: {0} and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message numerus="yes">
        <source>Continue this run (%n epoch(s) done) for the number of epochs set above, with its own settings, weights and optimizer state</source>
        <translation>
            <numerusform>Continue this run (%n epoch done) for the number of epochs set above, with its own settings, weights and optimizer state</numerusform>
            <numerusform>Continue this run (%n epochs done) for the number of epochs set above, with its own settings, weights and optimizer state</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The curves show how {0} learned: %n epoch(s), {1:.2%} of the test digits right.</source>
        <translation>
            <numerusform>The curves show how {0} learned: %n epoch, {1:.2%} of the test digits right.</numerusform>
            <numerusform>The curves show how {0} learned: %n epochs, {1:.2%} of the test digits right.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The curves show how {0} learned: %n epoch(s).</source>
        <translation>
            <numerusform>The curves show how {0} learned: %n epoch.</numerusform>
            <numerusform>The curves show how {0} learned: %n epochs.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped after %n epoch(s) in {0}</source>
        <translation>
            <numerusform>Stopped after %n epoch in {0}</numerusform>
            <numerusform>Stopped after %n epochs in {0}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Done after %n epoch(s) in {0}</source>
        <translation>
            <numerusform>Done after %n epoch in {0}</numerusform>
            <numerusform>Done after %n epochs in {0}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped after %n epoch(s) in {0}: {1:.2%} of the test digits right</source>
        <translation>
            <numerusform>Stopped after %n epoch in {0}: {1:.2%} of the test digits right</numerusform>
            <numerusform>Stopped after %n epochs in {0}: {1:.2%} of the test digits right</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Done after %n epoch(s) in {0}: {1:.2%} of the test digits right</source>
        <translation>
            <numerusform>Done after %n epoch in {0}: {1:.2%} of the test digits right</numerusform>
            <numerusform>Done after %n epochs in {0}: {1:.2%} of the test digits right</numerusform>
        </translation>
    </message>
</context>
</TS>
